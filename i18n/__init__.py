"""Translations of CarbonSink: which locale the user runs QGIS in, the .qm
file to load for it and the translated help files.

QGIS stores the interface language in ``locale/userLocale``: the system
locale (``zh_CN``, ``de_DE``) unless the user overrides it in the options,
where Chinese is ``zh-Hans`` / ``zh-Hant``. Our files use Qt's names
(``carbonsink_zh_CN.qm``, ``help/zh_CN/<algorithm>.html``), so a locale is
tried as itself, under its Qt alias and as its bare language.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ALIASES = {"zh-hans": "zh_CN", "zh_hans": "zh_CN", "zh": "zh_CN", "zh_sg": "zh_CN",
           "zh-hant": "zh_TW", "zh_hant": "zh_TW", "zh_hk": "zh_TW", "zh_mo": "zh_TW"}


def user_locale():
    """The locale QGIS runs in (e.g. "zh_CN", "zh-Hans", "de")."""
    from qgis.PyQt.QtCore import QLocale, QSettings
    value = QSettings().value("locale/userLocale", "")
    return str(value or QLocale().name() or "")


def candidates(locale=None):
    """File suffixes to try, most specific first: "zh-Hans" -> ["zh_CN", "zh"]."""
    code = (user_locale() if locale is None else str(locale)).strip()
    if not code:
        return []
    code = code.split(".")[0].split("@")[0]          # zh_CN.UTF-8, sr@latin
    code = ALIASES.get(code.lower(), code.replace("-", "_"))
    return list(dict.fromkeys(c for c in (code, code.split("_")[0]) if c))


def qm_path(locale=None, folder=HERE):
    """The .qm file for the locale, or None (English: no translation)."""
    for code in candidates(locale):
        path = os.path.join(folder, f"carbonsink_{code}.qm")
        if os.path.exists(path):
            return path
    return None


def help_path(help_dir, name, locale=None):
    """``help_dir/<locale>/<name>.html`` when it exists, else the English
    ``help_dir/<name>.html``."""
    for code in candidates(locale):
        path = os.path.join(help_dir, code, f"{name}.html")
        if os.path.exists(path):
            return path
    return os.path.join(help_dir, f"{name}.html")


def install_translator(locale=None):
    """Load and install the translator of the locale; return it (keep a
    reference and pass it to QCoreApplication.removeTranslator on unload),
    or None when there is no translation."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    path = qm_path(locale)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    QCoreApplication.installTranslator(translator)
    return translator
