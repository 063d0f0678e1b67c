"""The plugin's version, written in one place: metadata.txt (what QGIS and the
plugin repository read). pyproject.toml and ``python -m carbonsink --version``
read it from here."""
import configparser
import os


def _read():
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "metadata.txt"),
              encoding="utf-8")
    return meta.get("general", "version")


__version__ = _read()
