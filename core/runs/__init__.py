"""Declared file-level analyses (see :mod:`.declare`): one declaration per
analysis, from which the QGIS algorithm (``algorithms/declared.py``) and the
``python -m carbonsink`` command (``cli.py``) are made."""
from .declare import N_, Analysis, Args, Param

FAMILIES = ("carbon", "trends", "temporal", "series", "accounting", "ensemble", "resilience",
            "spatial", "prepare")


def analyses():
    """{name: Analysis} of every declared analysis, in toolbox order."""
    import importlib
    out = {}
    for family in FAMILIES:
        module = importlib.import_module(f"{__name__}.{family}")
        for a in module.ANALYSES:
            out[a.name] = a
    return out


__all__ = ["Analysis", "Args", "N_", "Param", "analyses"]
