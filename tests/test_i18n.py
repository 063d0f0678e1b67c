"""Translations: the extractor (scripts/i18n.py), the zh_CN catalogue, the .qm
built by lrelease, and an algorithm run in Chinese (pytest-qgis)."""
import importlib.util
import os
import re
import shutil
import subprocess
import textwrap

import pytest
from test_accounting_algorithms import acc_data  # noqa: F401 - the fixture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELP_DIR = os.path.join(ROOT, "algorithms", "help")
YEARS = list(range(2000, 2012))


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts",
                                                                     f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


i18n = load_script("i18n")


@pytest.fixture(scope="module")
def extracted():
    return i18n.extract()


@pytest.fixture(scope="module")
def qm_file(tmp_path_factory):
    """carbonsink_zh_CN.qm compiled from the committed .ts into a temp folder."""
    tool = i18n.lrelease_binary()
    if tool is None:
        pytest.skip("lrelease not installed (Debian: qttools5-dev-tools)")
    folder = tmp_path_factory.mktemp("qm")
    qm = folder / "carbonsink_zh_CN.qm"
    subprocess.run([tool, "-silent", i18n.ts_path("zh_CN"), "-qm", str(qm)], check=True,
                   timeout=60)
    return qm


# ----------------------------------------------------------------- extractor

def test_extractor_follows_contexts_constants_and_helpers(tmp_path):
    """Strings reach tr() through class constants, helper arguments, loops
    over class tables and f-strings of helper arguments; the context is the
    concrete class, as QCoreApplication.translate(type(self).__name__, ...)."""
    (tmp_path / "algorithms").mkdir()
    (tmp_path / "algorithms" / "base.py").write_text(textwrap.dedent('''
        from qgis.PyQt.QtCore import QCoreApplication

        class Base:
            DISPLAY = ""
            def tr(self, text):
                return QCoreApplication.translate(type(self).__name__, text)
            def displayName(self):
                return self.tr(self.DISPLAY)
            def add_output(self, name, description, optional=False):
                return self.tr(description)
            def add_scaling(self, prefix, what):
                for suffix, label in (("SCALE", f"{what}: scale factor"),):
                    self.tr(label)
            def common(self):
                return self.tr("Shared message {}")
    '''))
    (tmp_path / "algorithms" / "algs.py").write_text(textwrap.dedent('''
        from .base import Base

        STYLE = [(1, "#00ff00", "Sink class"), (0, "#ffffff", "Neutral class")]

        class _Middle(Base):
            OUTPUTS = {"a": ("OUT_A", "Output A"), "b": ("OUT_B", "Output B")}
            LABELS = ["First option", "Second option"]
            def init(self):
                for param, desc in self.OUTPUTS.values():
                    self.add_output(param, desc)
                return [self.tr(t) for t in self.LABELS]

        class AlgOne(_Middle):
            DISPLAY = "Algorithm one"
            def init2(self):
                self.add_scaling("NPP", "NPP")
                self.tr("Only in one")

        class AlgTwo(_Middle):
            DISPLAY = "Algorithm two"
            OUTPUTS = {"c": ("OUT_C", "Output C")}
    '''))
    ex = i18n.Extractor(str(tmp_path), ["algorithms/*.py"])
    msgs = set(ex.extract())
    expected = {("AlgOne", "Algorithm one"), ("AlgTwo", "Algorithm two"),
                ("AlgOne", "Output A"), ("AlgOne", "Output B"), ("AlgTwo", "Output C"),
                ("AlgOne", "First option"), ("AlgTwo", "Second option"),
                ("AlgOne", "NPP: scale factor"), ("AlgOne", "Only in one"),
                ("AlgOne", "Shared message {}"), ("AlgTwo", "Shared message {}"),
                ("CarbonSinkStyles", "Sink class"), ("CarbonSinkStyles", "Neutral class")}
    assert expected <= msgs
    assert ("AlgTwo", "Output A") not in msgs          # AlgTwo overrides OUTPUTS
    assert not any(ctx in ("Base", "_Middle") for ctx, _ in msgs)
    assert ex.leftovers == []


def test_ts_keeps_translations_and_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "I18N", str(tmp_path))
    messages = {("A", "Hello"): [("a.py", 1)], ("B", "Hello"): [("b.py", 2)],
                ("B", "New"): [("b.py", 3)]}
    old = {("A", "Hello"): ("你好", "finished"), ("C", "Gone"): ("走了", "finished")}
    trans, vanished = i18n.merge(messages, old)
    assert trans[("B", "Hello")] == ("你好", "finished")      # same text, other context
    assert ("B", "New") not in trans
    assert vanished == {("C", "Gone"): "走了"}
    path = str(tmp_path / "carbonsink_xx.ts")
    i18n.write_ts(path, "xx", messages, trans, vanished)
    back = i18n.read_ts(path)
    assert back[("A", "Hello")] == ("你好", "finished")
    assert back[("B", "New")] == ("", "unfinished")
    assert back[("C", "Gone")] == ("走了", "vanished")
    # a vanished text found again in the sources gets its translation back
    trans2, _ = i18n.merge({("C", "Gone"): [("c.py", 1)]}, back)
    assert trans2[("C", "Gone")] == ("走了", "finished")


def test_every_algorithm_string_is_extracted(extracted, provider):
    """DISPLAY, GROUP and every parameter label and enum option of every
    registered algorithm are in the catalogue, under the class name (the
    context "CarbonSink" of the algorithms made from core/runs declarations:
    their labels are the declared templates and arguments)."""
    msgs = set(extracted.messages)
    missing = []
    declared = 0
    for alg in provider.algorithms():
        cls = type(alg)
        if not hasattr(cls, "DISPLAY"):
            continue                        # shipped models: checked in test_models.py
        ctx = getattr(cls, "TR_CONTEXT", cls.__name__)
        texts = [cls.DISPLAY, cls.GROUP]
        analysis = getattr(cls, "ANALYSIS", None)
        if analysis is not None:
            declared += 1
            for p in analysis.params:
                texts += [p.label, *p.label_args]
                if p.translate_options:
                    texts += [lab for _, lab in p.options]
        else:
            inst = cls()
            inst.initAlgorithm()
            for p in inst.parameterDefinitions():
                texts.append(p.description())
                if hasattr(p, "options"):
                    texts += [o for o in p.options() if re.search(r"[A-Za-z]{3}", o)]
        missing += [(ctx, t) for t in texts if (ctx, t) not in msgs and
                    re.search(r"[A-Za-z]{3}", t) and not _unit_label(t)]
    assert missing == []
    assert declared >= 7


def _unit_label(text):
    """Unit names are not translated: "Tg CO2 (= Mt CO2)", "t C per pixel"
    (enum options built from carbonsink.core.accounting's unit tables)."""
    from carbonsink.core import accounting
    from carbonsink.core.runs.declare import unit_label
    units = set(accounting.UNITS) | set(accounting.EMISSION_RASTER_UNITS) | \
        {unit_label(u) for u in accounting.UNITS} | {"m2", "ha", "km2"}
    return text in units


def test_style_labels_are_extracted(extracted):
    from carbonsink.algorithms import styles
    msgs = set(extracted.messages)
    for name in dir(styles):
        if name.endswith("_CLASSES"):
            for _, _, label in getattr(styles, name):
                assert ("CarbonSinkStyles", label) in msgs


# ----------------------------------------------------------------- catalogue

def test_zh_cn_catalogue_is_complete_and_in_sync(extracted):
    """Every extracted string is in i18n/carbonsink_zh_CN.ts, translated, with
    the same {} placeholders. After adding strings: python3 scripts/i18n.py
    extract, then translate the unfinished messages."""
    assert i18n.problems("zh_CN", extracted) == []


def test_zh_cn_uses_the_field_terms():
    have = {src: text for (ctx, src), (text, state) in i18n.read_ts(i18n.ts_path("zh_CN"))
            .items()}
    assert "净生态系统生产力" in have["Net ecosystem production (NEP = NPP - Rh)"]
    assert "碳汇承载力" in have["Carbon sink carrying capacity and potential"]
    assert "恢复力" in have["Carbon sink resilience (probability attenuation)"]
    assert "偏相关" in have["Partial correlation with climate drivers"]
    assert "趋势" in have["Trends"]
    assert "Hurst" in have["Persistence: Hurst exponent and future trend"]


def test_help_is_translated_for_every_algorithm():
    english = sorted(f for f in os.listdir(HELP_DIR) if f.endswith(".html"))
    chinese = sorted(f for f in os.listdir(os.path.join(HELP_DIR, "zh_CN")))
    assert chinese == english
    for name in english:
        with open(os.path.join(HELP_DIR, "zh_CN", name), encoding="utf-8") as f:
            text = f.read()
        assert re.search(r"[\u4e00-\u9fff]", text), name
        assert "来源" in text and "Source" in text, name     # references kept


def test_locale_names_map_to_files():
    from carbonsink import i18n as loc
    assert loc.candidates("zh_CN") == ["zh_CN", "zh"]
    assert loc.candidates("zh-Hans") == ["zh_CN", "zh"]     # QGIS's override name
    assert loc.candidates("zh") == ["zh_CN", "zh"]
    assert loc.candidates("zh_TW")[0] == "zh_TW"
    assert loc.candidates("de_DE") == ["de_DE", "de"]
    assert loc.help_path(HELP_DIR, "senmk", "zh-Hans") == \
        os.path.join(HELP_DIR, "zh_CN", "senmk.html")
    assert loc.help_path(HELP_DIR, "senmk", "de_DE") == os.path.join(HELP_DIR, "senmk.html")


# ----------------------------------------------------------------- in QGIS

@pytest.fixture
def chinese(qgis_app, qm_file):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    translator = QTranslator()
    assert translator.load(str(qm_file))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_qm_translates(chinese):
    from qgis.PyQt.QtCore import QCoreApplication
    assert QCoreApplication.translate("CarbonSink", "Theil-Sen slope and Mann-Kendall "
                                      "test") == "Theil-Sen 斜率与 Mann-Kendall 检验"
    assert QCoreApplication.translate("CarbonSinkStyles", "Carbon sink (mean NEP > 0)") == \
        "碳汇（平均 NEP > 0）"


def test_algorithm_runs_in_chinese(provider, example, tmp_path, chinese):
    """An algorithm created under the zh_CN translator has Chinese names,
    labels and enum options, logs in Chinese and styles its classes in
    Chinese."""
    import processing
    from qgis.core import QgsApplication, QgsProcessingFeedback
    alg = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:senmk")
    assert alg.displayName() == "Theil-Sen 斜率与 Mann-Kendall 检验"
    assert alg.group() == "趋势分析"
    method = alg.parameterDefinition("METHOD")
    assert method.description() == "检验方法（序列自相关）"
    assert method.options()[0] == "原始 Mann-Kendall 检验"
    assert alg.parameterDefinition("FIRST_YEAR").description() == "第一个图层的年份"
    assert alg.parameterDefinition("INPUT_SCALE").description() == "输入：存储值的缩放系数"
    nep = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:nep")
    assert nep.displayName() == "净生态系统生产力（NEP = NPP - Rh）"
    assert nep.group() == "碳汇"

    class Feedback(QgsProcessingFeedback):
        infos = []

        def pushInfo(self, info):  # noqa: N802
            self.infos.append(info)

    fb = Feedback()
    out = {k: str(tmp_path / f"{k}.tif") for k in ("slope", "class")}
    processing.run("carbonsink:senmk", {
        "INPUT": example["npp"], "FIRST_YEAR": 2000, "MIN_VALID": 10,
        "OUTPUT_SLOPE": out["slope"], "OUTPUT_Z": "TEMPORARY_OUTPUT",
        "OUTPUT_P": "TEMPORARY_OUTPUT", "OUTPUT_TAU": "TEMPORARY_OUTPUT",
        "OUTPUT_CLASS": out["class"]}, feedback=fb)
    assert "12 个图层，年份 2000..2011" in fb.infos
    assert "检验方法：原始 Mann-Kendall 检验" in fb.infos      # the option, not its key
    # the block engine's line, from core: "<stack>: N pixels computed; T s"
    assert any(re.fullmatch(r"输入栅格序列：[\d,]+ 个像元有数据，已计算 [\d,]+ 个，排除 [\d,]+ 个"
                            r"（有效值少于最少要求，或在其他输入中缺失）；[\d.]+ 秒|"
                            r"输入栅格序列：已计算 [\d,]+ 个像元；[\d.]+ 秒", i)
               for i in fb.infos), fb.infos
    from qgis.PyQt.QtCore import QCoreApplication

    from carbonsink.core import _numba
    assert QCoreApplication.translate("CarbonSink", _numba.INSTALL_HINT).startswith(
        "未安装 numba：")
    with open(tmp_path / "class.qml", encoding="utf-8") as f:
        qml = f.read()
    assert "极显著增加（|Z| &gt; 2.58）" in qml
    # a bad parameter gives a Chinese message, not a traceback
    from qgis.core import QgsProcessingException
    with pytest.raises(QgsProcessingException) as err:
        processing.run("carbonsink:senmk", {
            "INPUT": example["npp"], "YEARS": "2000,x", "OUTPUT_SLOPE": "TEMPORARY_OUTPUT",
            "OUTPUT_Z": "TEMPORARY_OUTPUT", "OUTPUT_P": "TEMPORARY_OUTPUT",
            "OUTPUT_TAU": "TEMPORARY_OUTPUT", "OUTPUT_CLASS": "TEMPORARY_OUTPUT"},
            feedback=Feedback())
    assert "年份必须是以逗号分隔的数字" in str(err.value)
    # core's own messages (InputError templates) reach the user in Chinese too:
    # the years of the stack (core/rasters.py), a class table (core/accounting.py)
    with pytest.raises(QgsProcessingException) as err:
        processing.run("carbonsink:senmk", {
            "INPUT": example["npp"], "YEARS": "2000,2001", "OUTPUT_SLOPE": "TEMPORARY_OUTPUT",
            "OUTPUT_Z": "TEMPORARY_OUTPUT", "OUTPUT_P": "TEMPORARY_OUTPUT",
            "OUTPUT_TAU": "TEMPORARY_OUTPUT", "OUTPUT_CLASS": "TEMPORARY_OUTPUT"},
            feedback=Feedback())
    assert str(err.value) == "给出了 2 个年份，但栅格序列有 12 个图层"
    with pytest.raises(QgsProcessingException) as err:
        processing.run("carbonsink:carryingcapacity", {
            "INPUT": example["npp"], "YEAR": 1990, "OUTPUT_CSCC": "TEMPORARY_OUTPUT",
            "OUTPUT_PEAK_YEAR": "TEMPORARY_OUTPUT", "OUTPUT_POTENTIAL": "TEMPORARY_OUTPUT",
            "OUTPUT_SATURATION": "TEMPORARY_OUTPUT"}, feedback=Feedback())
    assert str(err.value) == "年份 1990 不在栅格序列的年份范围内（2000..2011）"


def test_core_messages_are_templates_with_values():
    """core.errors.InputError: English text for the command line, the
    template through a translator for QGIS, nested errors translated, the
    English text when a translation does not format; pickles as its text."""
    import pickle

    from carbonsink.core.errors import N_, InputError
    from carbonsink.core.io import StackError
    inner = StackError(N_("cannot open raster {}: {}"), "a.tif", "no such file")
    outer = InputError(N_("{}: read error: {}"), "NPP", inner)
    assert str(outer) == "NPP: read error: cannot open raster a.tif: no such file"
    zh = {"cannot open raster {}: {}": "无法打开栅格 {}：{}",
          "{}: read error: {}": "{}：读取错误：{}"}
    assert outer.translated(lambda t: zh.get(t, t)) == \
        "NPP：读取错误：无法打开栅格 a.tif：no such file"
    assert inner.translated(lambda t: "broken {} {} {}") == str(inner)
    assert StackError("plain {braces} kept").translated(str.upper) == "PLAIN {BRACES} KEPT"
    back = pickle.loads(pickle.dumps(outer))
    assert type(back) is InputError and str(back) == str(outer)


def _plugin_uses_i18n():
    with open(os.path.join(ROOT, "plugin.py"), encoding="utf-8") as f:
        return "install_translator" in f.read()


def _base_uses_i18n():
    with open(os.path.join(ROOT, "algorithms", "base.py"), encoding="utf-8") as f:
        return "help_path" in f.read()


@pytest.mark.xfail(not _plugin_uses_i18n(), strict=True,
                   reason="plugin.py still loads i18n/carbonsink_<2 letters>.qm")
@pytest.mark.parametrize("locale", ["zh_CN", "zh-Hans"])
def test_plugin_loads_the_zh_cn_translation(qgis_app, qm_file, locale):
    from qgis.PyQt.QtCore import QSettings
    qm = os.path.join(ROOT, "i18n", "carbonsink_zh_CN.qm")
    made = not os.path.exists(qm)
    if made:
        shutil.copy(qm_file, qm)
    settings = QSettings()
    old = settings.value("locale/userLocale")
    settings.setValue("locale/userLocale", locale)
    try:
        from carbonsink.plugin import CarbonSinkPlugin
        plugin = CarbonSinkPlugin(None)
        assert plugin.translator is not None
        plugin.unload()
    finally:
        if old is None:
            settings.remove("locale/userLocale")
        else:
            settings.setValue("locale/userLocale", old)
        if made:
            os.remove(qm)


@pytest.mark.xfail(not _base_uses_i18n(), strict=True,
                   reason="algorithms/base.py does not load help/<locale>/ yet")
def test_help_follows_the_locale(provider):
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QSettings
    settings = QSettings()
    old = settings.value("locale/userLocale")
    settings.setValue("locale/userLocale", "zh_CN")
    try:
        alg = QgsApplication.processingRegistry().createAlgorithmById("carbonsink:senmk")
        assert "Theil-Sen 斜率" in alg.shortHelpString()
    finally:
        if old is None:
            settings.remove("locale/userLocale")
        else:
            settings.setValue("locale/userLocale", old)


def test_resilience_report_in_chinese(provider, example, tmp_path, chinese):
    """The resilience report of a zh_CN QGIS: headings, table heads, notes,
    levels and chart labels from the catalogue (core/resilience_report.py
    translates through the run's tr); the map section too."""
    import processing
    from test_algorithms import Feedback
    res = processing.run("carbonsink:resilience", {
        "INPUT": [example["npp_stack"]], "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        "OUTPUT_SUMMARY": None, "OUTPUT_CSV": None,
        "OUTPUT_YEARS": str(tmp_path / "years.tif"),
        "OUTPUT_REPORT": str(tmp_path / "report.html")}, feedback=Feedback())
    with open(res["OUTPUT_REPORT"], encoding="utf-8") as f:
        text = f.read()
    for zh in ("基于概率衰减的碳汇恢复力", "参考年份 t&#x27;", "汇总", "有效像元", "逐年计数",
               "两条曲线的交汇", "由 CarbonSink 计算", "地图", "个图层"):
        assert zh in text, zh
    for en in ("Summary", "Counts per year", "valid pixels", "convergence of the two curves",
               "Computed by CarbonSink", "share of pixels"):
        assert en not in text, en


def test_zonal_report_in_chinese(provider, example, tmp_path, chinese):
    """The zonal summary report of a zh_CN QGIS: table heads and the totals
    rows in Chinese (the tables keep the core's names for scripts)."""
    import processing
    from test_algorithms import Feedback
    res = processing.run("carbonsink:zonalsummary", {
        "INPUT": [example["npp_stack"]], "ZONES": example["regions"], "ZONE_FIELD": "name",
        "OUTPUT_TABLE": "TEMPORARY_OUTPUT", "OUTPUT_SUMMARY": "TEMPORARY_OUTPUT",
        "OUTPUT_HTML": str(tmp_path / "zonal.html")}, feedback=Feedback())
    with open(res["OUTPUT_HTML"], encoding="utf-8") as f:
        text = f.read()
    for zh in ("面积（km2）", "有效面积（km2）", "全部分区", "平均总量"):
        assert zh in text, zh
    for en in ("area km2", "All zones", "All classes", "mean total"):
        assert en not in text, en


def test_report_column_headers_in_chinese(provider, acc_data, tmp_path, chinese):
    """Report tables show translated column headers (core/runs/declare.COLUMNS);
    the tables and CSV files keep the column names."""
    import processing
    from test_algorithms import Feedback
    res = processing.run("carbonsink:sinkscenario", {
        "LANDCOVER": acc_data["landcover_2020"], "MEASURES": acc_data["measures"],
        "OUTPUT_TABLE": "TEMPORARY_OUTPUT", "OUTPUT_CSV": str(tmp_path / "s.csv"),
        "OUTPUT_HTML": str(tmp_path / "s.html")}, feedback=Feedback())
    with open(res["OUTPUT_HTML"], encoding="utf-8") as f:
        text = f.read()
    for zh in ("措施", "实施面积（km2）", "新增碳汇", "速率单位"):
        assert zh in text, zh
    assert "treated_area_km2" not in text
    with open(res["OUTPUT_CSV"], encoding="utf-8") as f:
        assert "treated_area_km2" in f.readline()


def test_scenario_report_in_chinese(provider, tmp_path, chinese):
    """The scenario report under zh_CN: chart legend, table heads, model
    names and the neutrality line from the catalogue."""
    import processing
    from test_algorithms import Feedback
    from test_scenario import _table
    path, _, _ = _table(tmp_path)
    report = tmp_path / "r.html"
    processing.run("carbonsink:scenario", {
        "TABLE": str(path), "MODEL": 0, "BOOT": 0, "OUTPUT_CSV": str(tmp_path / "p.csv"),
        "OUTPUT_REPORT": str(report)}, feedback=Feedback())
    text = report.read_text(encoding="utf-8")
    for zh in ("CE 观测值", "线性趋势", "验证年数", "R2（验证期）", "碳中和（碳汇达到碳排放）"):
        assert zh in text, zh
    for en in ("observed", "hold-out years", "Carbon neutrality", "linear trend"):
        assert en not in text, en


def test_fit_flags_explained_through_the_translator():
    from carbonsink.core import resilience as R
    zh = {"the fitted tau exceeds {:g} years": "拟合的 tau 超过 {:g} 年"}
    assert R.flag_text("tau_too_large", lambda t: zh.get(t, t)) == \
        f"拟合的 tau 超过 {R.TAU_MAX:g} 年"
    assert R.flag_text("no_decay").startswith("the ratio never falls")
    assert R.flag_text("unknown") == ""
