"""User-facing errors. Each one is shown to the user as its message, never as a traceback."""


class AssistantError(Exception):
    """Base class: any error whose message is meant for the user."""


class DocumentError(AssistantError):
    """A corpus document is malformed: bad front matter, empty body or undecodable bytes.

    The user sees it when indexing or adding a document; the message names the file.
    """


class ConfigError(AssistantError):
    """A configuration value is invalid; the message names the value."""


class IndexError_(AssistantError):
    """The index is missing, locked or unreadable; the message says how to rebuild it."""


class InputError(AssistantError):
    """A question or batch line cannot be read (not JSON, no question, wrong types)."""


class CatalogError(AssistantError):
    """A catalog file cannot be read: wrong type, missing column, or an invalid row.

    The user sees it when loading or importing a catalog; the message names the file, the
    row and the column, in Chinese and English.
    """


class ParameterError(ConfigError):
    """A parameter file is malformed (bad YAML, a missing key, a wrong type).

    The user sees it when a rule tool loads its parameters; the message names the file and the key.
    """
