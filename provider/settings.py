"""The provider's Processing options (threads, memory, permutations, numba
status): read by the algorithms, registered by the provider. Imports neither
the algorithms nor the provider, so there is no import circle."""
from qgis.PyQt.QtCore import QCoreApplication

THREADS = "CARBONSINK_THREADS"
MEMORY_MB = "CARBONSINK_MEMORY_MB"
PERMUTATIONS = "CARBONSINK_PERMUTATIONS"
NUMBA_STATUS = "CARBONSINK_NUMBA_STATUS"
DEFAULT_MEMORY_MB = 256
DEFAULT_PERMUTATIONS = 999


def _config():
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:  # the Processing plugin is not loaded
        return None, None
    return ProcessingConfig, Setting


def settings():
    """(threads, memory budget in MB) from the Processing options."""
    config, _ = _config()
    threads, memory = 0, DEFAULT_MEMORY_MB
    if config is not None:
        try:
            threads = int(config.getSetting(THREADS) or 0)
            memory = int(config.getSetting(MEMORY_MB) or DEFAULT_MEMORY_MB)
        except (TypeError, ValueError):
            pass
    return max(threads, 0), max(memory, 16)


def permutations():
    """Default number of permutations of the spatial statistics (Processing
    options; 0 = analytical p-values only)."""
    config, _ = _config()
    if config is None:
        return DEFAULT_PERMUTATIONS
    try:
        value = config.getSetting(PERMUTATIONS)
        return max(int(DEFAULT_PERMUTATIONS if value in (None, "") else value), 0)
    except (TypeError, ValueError):
        return DEFAULT_PERMUTATIONS


def numba_status():
    """One line on the numba fast path, for the Processing options."""
    from ..core import _numba

    def tr(text):
        return QCoreApplication.translate("CarbonSinkProvider", text)
    if not _numba.HAVE_NUMBA:
        return tr("numba is not installed: numpy path (same results, slower; see the "
                  "plugin's README)")
    version = getattr(_numba.numba, "__version__", "?")
    if not _numba.use_numba():
        return tr("numba {} is installed but switched off by CARBONSINK_NO_NUMBA: numpy "
                  "path").format(version)
    return tr("numba {}: fast path ({} threads)").format(
        version, _numba.numba.config.NUMBA_NUM_THREADS)


def read_only(value, message):
    """A Processing option validator that refuses any value but ``value``
    (the options dialog has no read-only field: an edit is refused with
    ``message``)."""
    def check(new):
        if str(new) != str(value):
            raise ValueError(message)
    return check
