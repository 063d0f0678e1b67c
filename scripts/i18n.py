#!/usr/bin/env python3
"""Translations of CarbonSink: extract the user-visible strings into Qt .ts
files and compile them to .qm.

    python3 scripts/i18n.py extract [LANG ...]  update i18n/carbonsink_<LANG>.ts
                                                (default: every .ts there, and zh_CN;
                                                --drop-vanished forgets the translations
                                                of texts no longer in the sources)
    python3 scripts/i18n.py release             i18n/*.ts -> i18n/*.qm (lrelease)
    python3 scripts/i18n.py check [LANG ...]    exit 1 when a .ts is out of date with the
                                                sources or has unfinished messages
    python3 scripts/i18n.py list                the extracted (context, text) pairs
    python3 scripts/i18n.py leftovers           tr() arguments the extractor cannot
                                                resolve (they stay untranslated)

Why not pylupdate5: our algorithms translate with
``QCoreApplication.translate(type(self).__name__, text)``, so the context is
the class of the *running* algorithm (``SenMKAlgorithm``), not the class
whose method holds the ``self.tr("...")`` call (``_TrendBase``,
``CarbonSinkAlgorithm``), and many labels reach ``tr()`` through variables:
class constants (``DISPLAY``, ``GROUP``, ``OUTPUTS``, ``METHOD_LABELS``),
helper arguments (``self.add_output(name, "label")`` -> ``self.tr(label)``)
and f-strings over helper arguments (``add_scaling``). pylupdate5 files the
first kind under the wrong context and misses the others. This extractor
reads the sources with ``ast`` (nothing is imported, so it runs without QGIS)
and follows those flows for every concrete class; class tables of styled
outputs (lists of ``(code, "#colour", label)``) go to the context of
``styles._tr`` ("CarbonSinkStyles").

Existing translations are kept when re-extracting; a message new to a
context takes the translation of the same text from another context (same
words, same translation), so only new texts are left unfinished. Messages
that left the sources stay in the .ts as "vanished" (lrelease skips them,
a later extraction that finds the text again revives its translation).
"""
import ast
import glob
import itertools
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, "i18n")
SOURCES = ["algorithms/*.py", "provider/*.py", "plugin.py", "*.py", "core/*.py", "core/io/*.py",
           "core/runs/*.py"]
DECLARED = "core/runs/"                # declarations: N_("...") and a.tr("...")
#: other core modules with N_("...") messages, or tr("...") through a tr argument
DECLARED_FILES = {"core/_numba.py", "core/resilience_report.py", "core/rasters.py"}
# core: N_("...") message templates (core/errors.InputError) anywhere; the class
# tables of these two are read as style tables
STYLE_FILES = {"core/classes.py", "core/styles.py"}
DECLARED_CONTEXT = "CarbonSink"
TS_PREFIX = "carbonsink_"
DEFAULT_LANGS = ["zh_CN"]
STYLE_CONTEXT = "CarbonSinkStyles"     # fallback when styles._tr is not found
MODEL_CONTEXT = "CarbonSinkModels"     # models/__init__.py translates the shipped models
MODEL_FILES = "models/*.model3"
MODEL_HELP_SKIP = {"ALG_CREATOR", "ALG_VERSION", "EXAMPLES", "HELP_URL"}
MAX_DEPTH = 8
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


# =============================================================== sources

class Module:
    def __init__(self, path):
        self.path = path
        self.rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
        with open(path, encoding="utf-8") as f:
            self.tree = ast.parse(f.read(), path)
        self.assigns = {}           # module-level name -> value expression
        self.functions = {}         # module-level function name -> FunctionDef
        for node in self.tree.body:
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.assigns[t.id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node


class ClassInfo:
    def __init__(self, node, module):
        self.node, self.module, self.name = node, module, node.name
        self.bases = [b.id if isinstance(b, ast.Name) else
                      b.attr if isinstance(b, ast.Attribute) else None for b in node.bases]
        self.attrs, self.methods = {}, {}
        for item in node.body:
            if isinstance(item, ast.Assign):
                for t in item.targets:
                    if isinstance(t, ast.Name):
                        self.attrs[t.id] = item.value
            elif isinstance(item, ast.FunctionDef):
                self.methods[item.name] = item


class Env:
    """Where an expression is evaluated: the concrete class, the function
    (None for a class body or the module) and the module."""

    def __init__(self, cls, func, module, owner=None):
        self.cls, self.func, self.module, self.owner = cls, func, module, owner


class Extractor:
    def __init__(self, root=ROOT, patterns=SOURCES):
        self.root = root
        files = sorted({os.path.abspath(p) for pat in patterns
                        for p in glob.glob(os.path.join(root, pat))})
        self.modules = [Module(p) for p in files if not p.endswith("__main__.py")]
        self.classes = {}
        for m in self.modules:
            for node in ast.walk(m.tree):
                if isinstance(node, ast.ClassDef):
                    self.classes.setdefault(node.name, ClassInfo(node, m))
        self.parents = {}           # function node -> (class info or None, module)
        for m in self.modules:
            for f in m.functions.values():
                self.parents[f] = (None, m)
        for c in self.classes.values():
            for f in c.methods.values():
                self.parents[f] = (c, c.module)
        self.messages = {}          # (context, text) -> [(file, line)]
        self.leftovers = []         # (file, line, expression)
        self.style_context = self._style_context()
        self.wrappers, self.wrapped = self._wrappers()

    # ------------------------------------------------------------ classes
    def mro(self, cls):
        out, todo = [], [cls]
        while todo:
            c = todo.pop(0)
            if c.name in (x.name for x in out):
                continue
            out.append(c)
            todo += [self.classes[b] for b in c.bases if b in self.classes]
        return out

    def concrete(self):
        """Leaf classes (no subclass in the sources): the ones that run."""
        parents = {b for c in self.classes.values() for b in c.bases}
        return [c for c in self.classes.values() if c.name not in parents]

    def _wrappers(self):
        """Functions (module-level or nested) that only translate their
        argument with a fixed context: {(module path, name): context}, and
        the translate() calls inside them (skipped when scanning)."""
        wrappers, wrapped = {}, set()
        for m in self.modules:
            for f in ast.walk(m.tree):
                if not isinstance(f, ast.FunctionDef) or not f.args.args:
                    continue
                param = f.args.args[-1].arg
                for node in ast.walk(f):
                    if _is_translate(node) and len(node.args) >= 2 and \
                            isinstance(node.args[0], ast.Constant) and \
                            isinstance(node.args[1], ast.Name) and node.args[1].id == param:
                        wrappers[(m.path, f.name)] = node.args[0].value
                        wrapped.add(id(node))
        return wrappers, wrapped

    def _style_context(self):
        for m in self.modules:
            f = m.functions.get("_tr")
            if f is None:
                continue
            for node in ast.walk(f):
                if _is_translate(node) and isinstance(node.args[0], ast.Constant):
                    return node.args[0].value
        return STYLE_CONTEXT

    # ------------------------------------------------------------ values
    def values(self, expr, env, depth=0):
        """The strings ``expr`` can take, or None when unknown."""
        if depth > MAX_DEPTH or expr is None:
            return None
        if isinstance(expr, ast.Constant):
            return [expr.value] if isinstance(expr.value, str) else None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            a, b = self.values(expr.left, env, depth + 1), self.values(expr.right, env, depth + 1)
            if a is None or b is None:
                return None
            return [x + y for x, y in itertools.product(a, b)]
        if isinstance(expr, ast.JoinedStr):
            parts = []
            for v in expr.values:
                if isinstance(v, ast.Constant):
                    parts.append([v.value])
                elif isinstance(v, ast.FormattedValue) and v.format_spec is None \
                        and v.conversion in (-1, None):
                    vals = self.values(v.value, env, depth + 1)
                    if vals is None:
                        return None
                    parts.append(vals)
                else:
                    return None
            return ["".join(p) for p in itertools.product(*parts)]
        if isinstance(expr, ast.IfExp):
            a, b = self.values(expr.body, env, depth + 1), self.values(expr.orelse, env, depth + 1)
            return None if a is None or b is None else a + b
        if isinstance(expr, ast.Call) and self._is_tr(expr, env):
            return self.values(expr.args[0], env, depth + 1) if expr.args else None
        found = self.resolve(expr, env, depth)
        if found is None:
            return None
        out = []
        for e, en in found:
            v = self.values(e, en, depth + 1)
            if v is None:
                return None
            out += v
        return out

    def resolve(self, expr, env, depth):
        """[(expression, env)] that ``expr`` (a name or attribute) stands for."""
        if isinstance(expr, ast.Name):
            return self._resolve_name(expr.id, env, depth)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and \
                expr.value.id in ("self", "cls") and env.cls is not None:
            return self._class_attr(env.cls, expr.attr)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            for m in self.modules:      # module.CONSTANT (e.g. styles.MK_CLASSES)
                if os.path.splitext(os.path.basename(m.path))[0] == expr.value.id and \
                        expr.attr in m.assigns:
                    return [(m.assigns[expr.attr], Env(env.cls, None, m))]
        return None

    def _class_attr(self, cls, name):
        for c in self.mro(cls):
            if name in c.attrs:
                return [(c.attrs[name], Env(cls, None, c.module, c))]
        return None

    def _resolve_name(self, name, env, depth):
        func = env.func
        if func is not None:
            args = func.args
            params = [a.arg for a in args.posonlyargs + args.args]
            if name in params or name in [a.arg for a in args.kwonlyargs]:
                return self._param_values(func, name, env, depth)
            for node in ast.walk(func):
                if isinstance(node, (ast.For, ast.comprehension)) and _binds(node.target, name):
                    return self._loop_values(node.target, node.iter, name, env, depth)
                if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == name for t in node.targets):
                    return [(node.value, env)]
        if env.func is None and env.owner is not None and name in env.owner.attrs:
            owner_attr = env.owner.attrs[name]
            if not (isinstance(owner_attr, ast.Name) and owner_attr.id == name):
                return [(owner_attr, env)]
        if name in env.module.assigns:
            return [(env.module.assigns[name], Env(env.cls, None, env.module))]
        return None

    def _loop_values(self, target, iterable, name, env, depth):
        elements = self.elements(iterable, env, depth + 1)
        if elements is None:
            return None
        index = None
        if isinstance(target, ast.Tuple):
            index = next(i for i, t in enumerate(target.elts)
                         if isinstance(t, ast.Name) and t.id == name)
        out = []
        for e, en in elements:
            if index is None:
                out.append((e, en))
            elif isinstance(e, (ast.Tuple, ast.List)) and index < len(e.elts):
                out.append((e.elts[index], en))
            else:
                return None
        return out

    def elements(self, expr, env, depth):
        """[(element expression, env)] of a literal sequence or dict view."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return [(e, env) for e in expr.elts]
        if isinstance(expr, ast.Dict):
            return [(k, env) for k in expr.keys]
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and \
                expr.func.attr in ("values", "keys", "items") and not expr.args:
            found = self.resolve(expr.func.value, env, depth) \
                if not isinstance(expr.func.value, ast.Dict) else [(expr.func.value, env)]
            if not found:
                return None
            out = []
            for d, en in found:
                if not isinstance(d, ast.Dict):
                    return None
                if expr.func.attr == "values":
                    out += [(v, en) for v in d.values]
                elif expr.func.attr == "keys":
                    out += [(k, en) for k in d.keys]
                else:
                    out += [(ast.Tuple(elts=[k, v], ctx=ast.Load()), en)
                            for k, v in zip(d.keys, d.values)]
            return out
        found = self.resolve(expr, env, depth)
        if found is None:
            return None
        out = []
        for e, en in found:
            sub = self.elements(e, en, depth + 1)
            if sub is None:
                return None
            out += sub
        return out

    def _param_values(self, func, name, env, depth):
        """Values of parameter ``name`` of ``func``: its default and the
        arguments of every call ``self.<func>(...)`` in the class's methods."""
        args = func.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d})
        out = []
        if name in defaults:
            out.append((defaults[name], env))
        owner, module = self.parents.get(func, (None, env.module))
        callers = []
        if owner is not None and env.cls is not None:
            for c in self.mro(env.cls):
                callers += [(f, Env(env.cls, f, c.module, c)) for f in c.methods.values()]
        else:
            callers += [(f, Env(env.cls, f, module)) for f in module.functions.values()]
        is_method = owner is not None
        for f, fenv in callers:
            for call in ast.walk(f):
                if not isinstance(call, ast.Call):
                    continue
                fn = call.func
                if is_method:
                    ok = isinstance(fn, ast.Attribute) and fn.attr == func.name and \
                        isinstance(fn.value, ast.Name) and fn.value.id in ("self", "cls")
                else:
                    ok = isinstance(fn, ast.Name) and fn.id == func.name
                if not ok:
                    continue
                bound = _bind(call, positional[1:] if is_method else positional)
                if name in bound:
                    out.append((bound[name], fenv))
        return out              # [] when the helper is never called: no strings

    # ------------------------------------------------------------ calls
    def context_of(self, cls):
        """The translation context of a class: its TR_CONTEXT string
        constant (the algorithms made from declarations), else its name."""
        found = self._class_attr(cls, "TR_CONTEXT")
        if found and isinstance(found[0][0], ast.Constant):
            return found[0][0].value
        return cls.name

    def _declared(self, module):
        """Declarations (core/runs): N_("label") and a.tr("message") anywhere
        in the module, in the fixed context of the declared algorithms."""
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            fn = node.func
            if not ((isinstance(fn, ast.Name) and fn.id in ("N_", "tr")) or
                    (isinstance(fn, ast.Attribute) and fn.attr == "tr" and
                     isinstance(fn.value, ast.Name) and fn.value.id == "a")):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                self.add(DECLARED_CONTEXT, [arg.value], module, node)
            elif not (isinstance(fn, ast.Name) and isinstance(arg, ast.Name)):
                self.leftovers.append((module.rel, node.lineno, ast.unparse(arg)))

    def _is_tr(self, call, env):
        fn = call.func
        if isinstance(fn, ast.Attribute) and fn.attr == "tr" and \
                isinstance(fn.value, ast.Name) and fn.value.id == "self":
            return True
        return False

    def add(self, context, texts, module, node):
        for t in texts:
            if t.strip():
                self.messages.setdefault((context, t), []).append((module.rel, node.lineno))

    def extract(self):
        for cls in self.concrete():
            for c in self.mro(cls):
                for f in c.methods.values():
                    self._scan(f, Env(cls, f, c.module, c))
        for m in self.modules:
            if m.rel.startswith(DECLARED) or m.rel in DECLARED_FILES or (
                    m.rel.startswith("core/") and m.rel not in STYLE_FILES):
                self._declared(m)
                continue
            for f in m.functions.values():
                self._scan(f, Env(None, f, m))
            self._style_tables(m)
        for path in sorted(glob.glob(os.path.join(self.root, MODEL_FILES))):
            self._model(path)
        return self.messages

    def _model(self, path):
        """Labels of a shipped model: name, group, help texts, parameter and
        step descriptions (models/__init__.py shows them through tr())."""
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        root = ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)

        def option(node, name):
            for child in node.findall("Option"):
                if child.get("name") == name:
                    return child
            return None

        def add(value):
            if value and value.strip():
                self.messages.setdefault((MODEL_CONTEXT, value), []).append((rel, 1))

        for key in ("model_name", "model_group"):
            node = option(root, key)
            add(node.get("value") if node is not None else "")
        help_map = option(root, "help")
        for node in (help_map.findall("Option") if help_map is not None else []):
            if node.get("name") not in MODEL_HELP_SKIP:
                add(node.get("value"))
        for group in ("parameterDefinitions", "children"):
            holder = option(root, group)
            for item in (holder.findall("Option") if holder is not None else []):
                for key in ("description", "component_description"):
                    desc = option(item, key)
                    add(desc.get("value") if desc is not None else "")
                outputs = option(item, "outputs")
                for out in (outputs.findall("Option") if outputs is not None else []):
                    d = option(out, "description")
                    add(d.get("value") if d is not None else "")

    def _scan(self, func, env):
        for node in ast.walk(func):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            context = None
            if id(node) in self.wrapped:
                continue            # the body of a tr() wrapper
            if self._is_tr(node, env) and env.cls is not None:
                context, arg = self.context_of(env.cls), node.args[0]
            elif isinstance(node.func, ast.Name) and \
                    (env.module.path, node.func.id) in self.wrappers:
                context, arg = self.wrappers[(env.module.path, node.func.id)], node.args[0]
            elif _is_translate(node) and len(node.args) >= 2:
                arg = node.args[1]
                if isinstance(node.args[0], ast.Constant):
                    context = node.args[0].value
                elif env.cls is not None and "type(self)" in ast.unparse(node.args[0]):
                    context = self.context_of(env.cls)
            if context is None:
                continue
            if isinstance(arg, ast.Name) and env.func is not None and \
                    env.func.name in ("tr", "_tr") and arg.id in \
                    [a.arg for a in env.func.args.args]:
                continue            # the tr() wrapper itself
            vals = self.values(arg, env)
            if vals is None:
                self.leftovers.append((env.module.rel, node.lineno, ast.unparse(arg)))
            else:
                self.add(context, vals, env.module, node)

    def _style_tables(self, module):
        """Lists of (code, "#rrggbb", label): the class tables that
        styles.paletted_qml labels through _tr()."""
        for node in ast.walk(module.tree):
            if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
                continue
            rows = node.elts
            if all(isinstance(r, ast.Tuple) and len(r.elts) == 3 and
                   isinstance(r.elts[1], ast.Constant) and isinstance(r.elts[1].value, str)
                   and COLOUR.match(r.elts[1].value) and isinstance(r.elts[2], ast.Constant)
                   and isinstance(r.elts[2].value, str) for r in rows):
                for r in rows:
                    self.add(self.style_context, [r.elts[2].value], module, r)


def _is_translate(node):
    fn = node.func if isinstance(node, ast.Call) else None
    return isinstance(fn, ast.Attribute) and fn.attr == "translate" and \
        isinstance(fn.value, ast.Name) and fn.value.id == "QCoreApplication"


def _binds(target, name):
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _bind(call, params):
    bound = {}
    for p, a in zip(params, call.args):
        if isinstance(a, ast.Starred):
            break
        bound[p] = a
    for kw in call.keywords:
        if kw.arg:
            bound[kw.arg] = kw.value
    return bound


def extract(root=ROOT):
    ex = Extractor(root)
    ex.extract()
    return ex


# ================================================================== .ts

def ts_path(lang):
    return os.path.join(I18N, f"{TS_PREFIX}{lang}.ts")


def read_ts(path):
    """{(context, source): (translation, state)} of a .ts file; state is
    "finished", "unfinished" or "vanished" (no longer in the sources)."""
    out = {}
    if not os.path.exists(path):
        return out
    root = ET.parse(path).getroot()
    for ctx in root.findall("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.findall("message"):
            src = msg.findtext("source") or ""
            tr = msg.find("translation")
            text = (tr.text or "") if tr is not None else ""
            kind = tr.get("type", "") if tr is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                state = "vanished"
            elif kind == "unfinished" or not text:
                state = "unfinished"
            else:
                state = "finished"
            out[(name, src)] = (text, state)
    return out


def write_ts(path, lang, messages, translations, vanished=None):
    """Write the .ts: ``messages`` {(context, source): [(file, line)]},
    ``translations`` {(context, source): (text, state)}; ``vanished``
    {(context, source): text} are kept as type="vanished" (lrelease skips
    them; a later extraction that finds the text again revives them)."""
    vanished = vanished or {}
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             f'<TS version="2.1" language="{lang}" sourcelanguage="en">']
    rel = os.path.relpath(ROOT, os.path.dirname(path)).replace(os.sep, "/")
    for context in sorted({c for c, _ in messages} | {c for c, _ in vanished}):
        lines += ["<context>", f"    <name>{escape(context)}</name>"]
        items = sorted(((min(locs), src) for (c, src), locs in messages.items()
                        if c == context))
        for (fname, line), src in items:
            text, state = translations.get((context, src), ("", "unfinished"))
            kind = "" if state == "finished" else ' type="unfinished"'
            lines += ["    <message>",
                      f'        <location filename="{rel}/{fname}" line="{line}"/>',
                      f"        <source>{escape(src)}</source>",
                      f"        <translation{kind}>{escape(text)}</translation>",
                      "    </message>"]
        for src in sorted(s for c, s in vanished if c == context):
            lines += ["    <message>",
                      f"        <source>{escape(src)}</source>",
                      f'        <translation type="vanished">{escape(vanished[(context, src)])}'
                      "</translation>",
                      "    </message>"]
        lines.append("</context>")
    lines.append("</TS>")
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def merge(messages, old):
    """(translations of ``messages``, vanished messages) from the old .ts:
    a message keeps its translation (a vanished one comes back); a message
    without one takes the translation of the same text in another context
    (the most common one); old translated messages no longer in the sources
    stay as vanished."""
    memory = {}
    for (_ctx, src), (text, state) in old.items():
        if text and state != "unfinished":
            memory.setdefault(src, {}).setdefault(text, 0)
            memory[src][text] += 1
    out = {}
    for key in messages:
        text, state = old.get(key, ("", "unfinished"))
        if text and state != "unfinished":
            out[key] = (text, "finished")
        elif key[1] in memory:
            best = max(memory[key[1]].items(), key=lambda kv: kv[1])[0]
            out[key] = (best, "finished")
        elif text:
            out[key] = (text, "unfinished")
    vanished = {k: t for k, (t, state) in old.items()
                if k not in messages and t and state != "unfinished"}
    return out, vanished


def update_ts(lang, ex, drop_vanished=False):
    """Re-extract into the .ts of ``lang``; return (messages, unfinished)."""
    path = ts_path(lang)
    trans, vanished = merge(ex.messages, read_ts(path))
    write_ts(path, lang, ex.messages, trans, {} if drop_vanished else vanished)
    todo = sum(1 for k in ex.messages if trans.get(k, ("", ""))[1] != "finished")
    return len(ex.messages), todo


def langs_of(args):
    if args:
        return args
    found = [os.path.basename(p)[len(TS_PREFIX):-3]
             for p in glob.glob(os.path.join(I18N, TS_PREFIX + "*.ts"))]
    return sorted(set(found) | set(DEFAULT_LANGS))


def cmd_extract(args):
    drop = "--drop-vanished" in args
    ex = extract()
    os.makedirs(I18N, exist_ok=True)
    for lang in langs_of([a for a in args if not a.startswith("--")]):
        n, todo = update_ts(lang, ex, drop)
        print(f"{os.path.relpath(ts_path(lang), ROOT)}: {n} messages in "
              f"{len({c for c, _ in ex.messages})} contexts, {todo} unfinished")
    if ex.leftovers:
        print(f"{len(ex.leftovers)} tr() arguments could not be resolved "
              "(see: scripts/i18n.py leftovers)")
    return 0


def problems(lang, ex=None):
    """Why the .ts of ``lang`` is not complete: a list of strings."""
    ex = ex or extract()
    have = read_ts(ts_path(lang))
    out = []
    for key in sorted(ex.messages):
        if key not in have:
            out.append(f"missing from the .ts: {key[0]}: {key[1]!r}")
        elif have[key][1] != "finished":
            out.append(f"unfinished: {key[0]}: {key[1]!r}")
        elif placeholders(key[1]) != placeholders(have[key][0]):
            out.append(f"placeholders differ: {key[0]}: {key[1]!r} -> {have[key][0]!r}")
    return out


def placeholders(text):
    return sorted(re.findall(r"\{[^{}]*\}", text))


def cmd_check(langs):
    ex = extract()
    bad = 0
    for lang in langs_of(langs):
        found = problems(lang, ex)
        for p in found:
            print(f"{lang}: {p}")
        bad += len(found)
    if bad:
        print(f"{bad} problems: run python3 scripts/i18n.py extract, then translate the "
              "unfinished messages (Qt Linguist: linguist i18n/carbonsink_<lang>.ts)")
    return 1 if bad else 0


def lrelease_binary():
    for name in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease", "lrelease6",
                 "pyside6-lrelease"):
        path = shutil.which(name)
        if path:
            return path
    return None


def cmd_release(_args):
    tool = lrelease_binary()
    if tool is None:
        print("lrelease not found: install Debian's qttools5-dev-tools", file=sys.stderr)
        return 1
    status = 0
    for ts in sorted(glob.glob(os.path.join(I18N, TS_PREFIX + "*.ts"))):
        qm = ts[:-3] + ".qm"
        r = subprocess.run([tool, "-silent", ts, "-qm", qm], capture_output=True, text=True)
        if r.returncode or not os.path.exists(qm):
            print(r.stdout + r.stderr, file=sys.stderr)
            status = 1
        else:
            print(f"{os.path.relpath(qm, ROOT)}")
    return status


def cmd_list(_args):
    for (ctx, src), locs in sorted(extract().messages.items()):
        print(f"{ctx}\t{src}\t{locs[0][0]}:{locs[0][1]}")
    return 0


def cmd_leftovers(_args):
    seen = set()
    for fname, line, expr in extract().leftovers:
        if (fname, line) not in seen:
            seen.add((fname, line))
            print(f"{fname}:{line}: tr({expr})")
    return 0


COMMANDS = {"extract": cmd_extract, "release": cmd_release, "check": cmd_check,
            "list": cmd_list, "leftovers": cmd_leftovers}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
