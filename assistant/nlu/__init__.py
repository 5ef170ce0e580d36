"""Language understanding: text (+ dialogue state) → :class:`~assistant.nlu.models.Understanding`."""
