<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CarbonSink</name>
    <message>
        <location filename="../algorithms/base.py" line="157"/>
        <source>{}: no raster layer given</source>
        <translation>{}：未提供栅格图层</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="201"/>
        <source>Incorrect parameter value for {}</source>
        <translation>参数 {} 的取值不正确</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="215"/>
        <source>years must be numbers separated by commas, not '{}'</source>
        <translation>年份必须是以逗号分隔的数字，而不是“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="240"/>
        <source>all valid pixels</source>
        <translation>全部有效像元</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="244"/>
        <source>zone layer has no field '{}'</source>
        <translation>分区图层没有字段“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="251"/>
        <source>Zones are reprojected from {} to the stack's {}</source>
        <translation>分区已从 {} 重投影到栅格序列的 {}</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="257"/>
        <source>The zones or the stack have no CRS: zone coordinates are used as they are</source>
        <translation>分区或栅格序列没有坐标系：分区坐标按原样使用</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="271"/>
        <source>{} zone features without geometry were skipped</source>
        <translation>已跳过 {} 个没有几何的分区要素</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="274"/>
        <source>the zone layer has no polygon</source>
        <translation>分区图层中没有面要素</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="275"/>
        <source>{} zones from {} polygons, rasterised onto the stack's grid</source>
        <translation>{} 个分区（来自 {} 个面），已栅格化到栅格序列的格网</translation>
    </message>
    <message>
        <location filename="../algorithms/base.py" line="323"/>
        <source>Canceled: no output was written.</source>
        <translation>已取消：未写出任何结果。</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="164"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="164"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="248"/>
        <source>an emission field needs a zone layer</source>
        <translation>使用碳排放字段时需要分区图层</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="269"/>
        <source>emission field '{}' has a non-numeric value '{}'</source>
        <translation>碳排放字段“{}”含有非数值“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="284"/>
        <source>the vector layer has no field '{}'</source>
        <translation>矢量图层没有字段“{}”</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="316"/>
        <source>the input layer already has a field '{}': rename it first</source>
        <translation>输入图层已有字段“{}”：请先将其重命名</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="371"/>
        <source>{}: no table or layer given</source>
        <translation>{}：未提供表或图层</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="397"/>
        <source>cannot write the table {}: {}</source>
        <translation>无法写出表 {}：{}</translation>
    </message>
    <message>
        <location filename="../algorithms/declared.py" line="411"/>
        <source>Warning: </source>
        <translation>警告：</translation>
    </message>
    <message>
        <location filename="../algorithms/maps.py" line="92"/>
        <source>Each raster output in the style it opens with in QGIS.</source>
        <translation>各栅格输出按其在 QGIS 中打开时的样式显示。</translation>
    </message>
    <message>
        <location filename="../algorithms/maps.py" line="93"/>
        <source>Maps</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="111"/>
        <source>outputs must be 'fields', 'array' or 'elementwise'</source>
        <translation>outputs 必须是 'fields'、'array' 或 'elementwise'</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="214"/>
        <source>{}: the DataArrays {} do not have the same coordinates ({})</source>
        <translation>{}：DataArray {} 的坐标不一致（{}）</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="218"/>
        <source>{}: {} has dimensions {}, {} has {}</source>
        <translation>{}：{} 的维度为 {}，而 {} 的维度为 {}</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="291"/>
        <source>{}: {} is chunked along time (axis 0 chunks {}); each chunk must hold the whole series, and one time chunk would make chunks of {:.0f} MB (limit {:.0f} MB, dask config 'carbonsink.max-chunk'). Rechunk with smaller spatial chunks, e.g. {}.rechunk({{0: -1, {}}})</source>
        <translation>{}：{} 沿时间轴分块（轴 0 的块为 {}）；每个块必须包含完整序列，而合并为一个时间块会得到 {:.0f} MB 的块（上限 {:.0f} MB，dask 配置 'carbonsink.max-chunk'）。请用更小的空间块重新分块，例如 {}.rechunk({{0: -1, {}}})</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="381"/>
        <source>{}: {} has shape {}, {} has {}</source>
        <translation>{}：{} 的形状为 {}，而 {} 的形状为 {}</translation>
    </message>
    <message>
        <location filename="../core/_dispatch.py" line="385"/>
        <source>{}: a time series needs a time axis (axis 0)</source>
        <translation>{}：时间序列需要时间轴（轴 0）</translation>
    </message>
    <message>
        <location filename="../core/_numba.py" line="18"/>
        <source>numba is not installed: CarbonSink uses its numpy path (same results, slower, more memory). For the fast path install numba into the Python that runs QGIS: OSGeo4W Shell on Windows: 'python -m pip install numba'; macOS: '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install numba'; Debian/Ubuntu: 'sudo apt install python3-numba' or pip.</source>
        <translation>未安装 numba：CarbonSink 使用其 numpy 路径（结果相同，但更慢、占用更多内存）。如需快速路径，请将 numba 安装到运行 QGIS 的 Python 中：Windows 在 OSGeo4W Shell 中运行 'python -m pip install numba'；macOS 运行 '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install numba'；Debian/Ubuntu 运行 'sudo apt install python3-numba' 或使用 pip。</translation>
    </message>
    <message>
        <location filename="../core/_series.py" line="16"/>
        <source>a time series needs a time axis (axis 0)</source>
        <translation>时间序列需要时间轴（轴 0）</translation>
    </message>
    <message>
        <location filename="../core/_series.py" line="25"/>
        <source>{} years given for {} time steps</source>
        <translation>给出了 {} 个年份，但有 {} 个时间步</translation>
    </message>
    <message>
        <location filename="../core/_series.py" line="27"/>
        <source>years must be finite numbers</source>
        <translation>年份必须是有限数值</translation>
    </message>
    <message>
        <location filename="../core/_series.py" line="29"/>
        <source>years must be strictly increasing</source>
        <translation>年份必须严格递增</translation>
    </message>
    <message>
        <location filename="../core/abrupt.py" line="68"/>
        <source>one series expected (shape (n,)), got shape {}</source>
        <translation>应为单条序列（形状 (n,)），实际形状为 {}</translation>
    </message>
    <message>
        <location filename="../core/abrupt.py" line="71"/>
        <source>the series contains infinite values</source>
        <translation>序列中含有无穷值</translation>
    </message>
    <message>
        <location filename="../core/abrupt.py" line="73"/>
        <source>{} valid values; at least {} are needed</source>
        <translation>只有 {} 个有效值；至少需要 {} 个</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="55"/>
        <source>unit must look like 'Tg C' or 'Pg CO2' (prefix one of {}), not {!r}</source>
        <translation>单位应形如 'Tg C' 或 'Pg CO2'（前缀为 {} 之一），而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="58"/>
        <source>input species must be C or CO2, not {!r}</source>
        <translation>输入物质必须是 C 或 CO2，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="87"/>
        <source>the class table {}: '{}' is not an integer class code (expected columns: code, name)</source>
        <translation>类别表 {}：“{}”不是整数类别代码（应有列：code, name）</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="91"/>
        <source>the class table {}: class {} has no name (expected columns: code, name)</source>
        <translation>类别表 {}：类别 {} 没有名称（应有列：code, name）</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="95"/>
        <source>the class table {} has no rows with a class code and a name (expected columns: code, name)</source>
        <translation>类别表 {} 中没有同时含类别代码和名称的行（应有列：code, name）</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="121"/>
        <source>{} has more than {} distinct values: is it really a class (land-cover, lithology) raster?</source>
        <translation>{} 的不同取值超过 {} 个：它确实是类别（土地覆被、岩性）栅格吗？</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="126"/>
        <source>{} is not a class raster: it has non-integer values (e.g. {:g})</source>
        <translation>{} 不是类别栅格：其中有非整数值（如 {:g}）</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="138"/>
        <source>class codes span too wide a range</source>
        <translation>类别代码的范围过宽</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="457"/>
        <source>ratio {!r}: write layer numbers as a/b, e.g. 2/1</source>
        <translation>比值 {!r}：请将图层编号写成 a/b，如 2/1</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="459"/>
        <source>ratio {}: the layers are numbered 1..{}, and a ratio needs two different layers</source>
        <translation>比值 {}：图层编号为 1..{}，且比值需要两个不同的图层</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="491"/>
        <source>the zone raster must have one band</source>
        <translation>分区栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="500"/>
        <source>the land-cover raster must have one band</source>
        <translation>土地覆被栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="503"/>
        <source>{} is on another grid: warped onto the values' grid by majority (mode)</source>
        <translation>{} 位于另一格网：已按众数重采样到数值栅格的格网</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="509"/>
        <source>{} has no valid class pixel</source>
        <translation>{} 中没有有效的类别像元</translation>
    </message>
    <message>
        <location filename="../core/accounting.py" line="516"/>
        <source>{} years given for {} layers</source>
        <translation>给出了 {} 个年份，但有 {} 个图层</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="107"/>
        <source>the raster's CRS cannot be read</source>
        <translation>无法读取栅格的坐标系</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="159"/>
        <source>the raster has no CRS, so its pixel areas are unknown: assign its CRS (Raster &gt; Projections &gt; Assign Projection) and run again</source>
        <translation>栅格没有坐标系，因此像元面积未知：请为其指定坐标系（栅格 &gt; 投影 &gt; 指定投影）后重新运行</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="164"/>
        <source>rotated geographic grids are not supported: warp the raster to a north-up grid first</source>
        <translation>不支持旋转的地理格网：请先将栅格重投影到正北朝上的格网</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="171"/>
        <source>geographic grid: area between the row's latitudes on the sphere of radius {:.0f} m (per row)</source>
        <translation>地理格网：按行计算两条纬线之间在半径 {:.0f} m 球面上的面积</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="173"/>
        <source>geographic grid: area between the row's latitudes on the ellipsoid a = {:.3f} m, 1/f = {:.9g} (per row)</source>
        <translation>地理格网：按行计算两条纬线之间在椭球面（a = {:.3f} m，1/f = {:.9g}）上的面积</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="177"/>
        <source>pixel areas need a geographic or a projected CRS, not {}</source>
        <translation>像元面积需要地理坐标系或投影坐标系，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="184"/>
        <source>projected grid, equal-area projection ({}): constant cell area {:.6g} m2</source>
        <translation>投影格网，等积投影（{}）：像元面积恒为 {:.6g} m2</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="191"/>
        <source>; the true cell area differs from it by {:+.3g} % to {:+.3g} % (centre and corners of the grid)</source>
        <translation>；真实像元面积与之相差 {:+.3g} % 到 {:+.3g} %（格网中心与四角）</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="193"/>
        <source>the CRS {} ({}) is not an equal-area projection: the constant cell area {:.6g} m2 of the grid is not the true area{}. Reproject to an equal-area CRS (e.g. Albers equal-area) or to longitude/latitude for exact totals.</source>
        <translation>坐标系 {}（{}）不是等积投影：格网的恒定像元面积 {:.6g} m2 并非真实面积{}。如需精确总量，请重投影到等积坐标系（如 Albers 等积投影）或经纬度。</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="198"/>
        <source>projected grid ({}): constant cell area {:.6g} m2</source>
        <translation>投影格网（{}）：像元面积恒为 {:.6g} m2</translation>
    </message>
    <message>
        <location filename="../core/area.py" line="211"/>
        <source>unit must be m2, ha or km2, not {!r}</source>
        <translation>单位必须是 m2、ha 或 km2，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="64"/>
        <source>{} line {}: code '{}' is not an integer</source>
        <translation>{} 第 {} 行：代码“{}”不是整数</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="69"/>
        <source>{} line {}: a_unit '{}' is not one of gC_m2_per_mm, tC_km2_per_mm, kmol_km2_per_L_s_km2</source>
        <translation>{} 第 {} 行：a_unit “{}”不是 gC_m2_per_mm、tC_km2_per_mm、kmol_km2_per_L_s_km2 之一</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="74"/>
        <source>{}: code {} appears twice</source>
        <translation>{}：代码 {} 出现了两次</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="78"/>
        <source>the coefficient table {} has no row</source>
        <translation>系数表 {} 没有任何行</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="165"/>
        <source>{} years given for {} NEP layers</source>
        <translation>给出了 {} 个年份，但有 {} 个 NEP 图层</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="169"/>
        <source>{} has {} layers: give 1 or {} (as NEP)</source>
        <translation>{} 有 {} 个图层：请给出 1 个或 {} 个（与 NEP 相同）</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="172"/>
        <source>{} is on another grid than NEP: warped onto it ({})</source>
        <translation>{} 与 NEP 不在同一格网：已重投影到 NEP 的格网（{}）</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="178"/>
        <source>the lithology raster must have one band</source>
        <translation>岩性栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="183"/>
        <source>give emissions either as a raster or per zone, not both</source>
        <translation>碳排放请以栅格或按分区二选一给出，不要同时给出</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="185"/>
        <source>emission unit must be one of {}</source>
        <translation>碳排放单位必须是 {} 之一</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="189"/>
        <source>emissions in t per pixel must be on the grid of NEP (per-pixel totals cannot be averaged onto another grid): warp them with 'sum' resampling or convert them to g m-2 first</source>
        <translation>以“吨/像元”为单位的碳排放必须与 NEP 同一格网（逐像元总量不能平均到其他格网）：请先用“求和”重采样重投影，或先换算为 g m-2</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="194"/>
        <source>CNC and class rasters need an emission raster (per-zone emissions only give per-zone CNC)</source>
        <translation>CNC 栅格和类别栅格需要碳排放栅格（按分区给出的排放只能得到分区 CNC）</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="199"/>
        <source>the coefficient table has no value of a for lithology class(es) {} found in the raster: fill them in (the source column says where from) or choose 'missing classes count as 0'</source>
        <translation>系数表中缺少栅格中出现的岩性类别 {} 的系数 a：请补齐（在 source 列注明来源），或选择“缺失类别按 0 计”</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="204"/>
        <source>lithology classes {} have no coefficient: their rock-weathering sink counts as 0</source>
        <translation>岩性类别 {} 没有系数：其岩石风化碳汇按 0 计</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="294"/>
        <source>raster</source>
        <translation>栅格</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="304"/>
        <source>no emission value for zone(s) {}: their CNC is left empty</source>
        <translation>分区 {} 没有碳排放值：其 CNC 留空</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="308"/>
        <source>zone table</source>
        <translation>分区表</translation>
    </message>
    <message>
        <location filename="../core/budget.py" line="310"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../core/carbon.py" line="39"/>
        <source>temperature {} and precipitation {} differ in shape</source>
        <translation>气温 {} 与降水 {} 的形状不同</translation>
    </message>
    <message>
        <location filename="../core/carbon.py" line="46"/>
        <source>mode must be 'monthly' or 'annual', not {!r}</source>
        <translation>模式必须是 'monthly' 或 'annual'，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/carbon.py" line="48"/>
        <source>monthly mode needs 12 months per year, got {} steps</source>
        <translation>逐月模式需要每年 12 个月，实际为 {} 个时间步</translation>
    </message>
    <message>
        <location filename="../core/correlation.py" line="228"/>
        <source>controls is a sequence of arrays: pass one control as [z]</source>
        <translation>controls 是数组序列：只有一个控制变量时请写成 [z]</translation>
    </message>
    <message>
        <location filename="../core/correlation.py" line="236"/>
        <source>{} has shape {}, y has {}</source>
        <translation>{} 的形状为 {}，而 y 的形状为 {}</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="23"/>
        <source>cannot read the {} {}: {}</source>
        <translation>无法读取{} {}：{}</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="29"/>
        <source>cannot read the {} {}: it is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8</source>
        <translation>无法读取{} {}：它既不是 UTF-8 也不是 GBK/GB18030 文本；请另存为 CSV UTF-8</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="68"/>
        <source>the {} {} is empty</source>
        <translation>{} {} 为空</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="74"/>
        <source>the {} {} has no column {} (its columns: {})</source>
        <translation>{} {} 没有列 {}（现有列：{}）</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="88"/>
        <source>{} line {}: {} '{}' is not a number</source>
        <translation>{} 第 {} 行：{}“{}”不是数字</translation>
    </message>
    <message>
        <location filename="../core/csv_tables.py" line="91"/>
        <source>{} line {}: {} is not finite</source>
        <translation>{} 第 {} 行：{} 不是有限值</translation>
    </message>
    <message>
        <location filename="../core/dask_rasters.py" line="26"/>
        <source>variation classes need a second pass over a GeoTIFF CV raster: write them with --format gtiff</source>
        <translation>波动等级需要对 GeoTIFF 格式的 CV 栅格做第二遍计算：请使用 --format gtiff 输出</translation>
    </message>
    <message>
        <location filename="../core/dask_rasters.py" line="32"/>
        <source>cannot write into {}: the folder does not exist</source>
        <translation>无法写入 {}：文件夹不存在</translation>
    </message>
    <message>
        <location filename="../core/dask_rasters.py" line="54"/>
        <source>no valid CV value to compute natural breaks from</source>
        <translation>没有有效的 CV 值可用于计算自然断点</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="197"/>
        <source>an ensemble needs at least two inputs</source>
        <translation>集成至少需要两个输入</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="201"/>
        <source>{} has {} layers but {} has {}: every input needs the same time steps</source>
        <translation>{} 有 {} 个图层，而 {} 有 {} 个：所有输入需要相同的时间步</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="204"/>
        <source>time step must be 'years' or 'months'</source>
        <translation>时间步必须是 'years' 或 'months'</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="206"/>
        <source>{} monthly layers are not whole years: the last {} months are left out of the annual totals</source>
        <translation>{} 个月度图层不是整数年：最后 {} 个月不计入年总量</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="214"/>
        <source>the target grid has no CRS</source>
        <translation>目标格网没有坐标系</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="217"/>
        <source>the minimum number of members must be between 1 and {}</source>
        <translation>最少成员数必须在 1 到 {} 之间</translation>
    </message>
    <message>
        <location filename="../core/ensemble.py" line="229"/>
        <source>the zone raster must be on the target grid</source>
        <translation>分区栅格必须位于目标格网上</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="48"/>
        <source>absolute equality</source>
        <translation>绝对平均</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="48"/>
        <source>relatively equal</source>
        <translation>比较平均</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="49"/>
        <source>large gap</source>
        <translation>差距较大</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="49"/>
        <source>reasonable</source>
        <translation>相对合理</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="49"/>
        <source>very large gap</source>
        <translation>差距悬殊</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="78"/>
        <source>Gini: all values are 0: the Gini coefficient (relative to the mean) is undefined</source>
        <translation>基尼系数：所有值均为 0，（相对于均值的）基尼系数无定义</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="105"/>
        <source>Gini method must be one of {}, not {!r}</source>
        <translation>基尼系数方法必须是 {} 之一，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="111"/>
        <source>Gini: no valid value</source>
        <translation>基尼系数：没有有效值</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="115"/>
        <source>Gini: {} of {} values are negative; the standard Gini needs non-negative data: use the 'rsv' (Raffinetti-Siletti-Vernizzi normalised) or the 'segmented' (deficit / neutral / surplus, Zhang2022) method</source>
        <translation>基尼系数：{} 个值中有 {} 个为负；标准基尼系数需要非负数据：请使用 'rsv'（Raffinetti-Siletti-Vernizzi 归一化）或 'segmented'（赤字 / 中性 / 盈余，Zhang2022）方法</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="126"/>
        <source>Gini (rsv): at least 2 values are needed</source>
        <translation>基尼系数（rsv）：至少需要 2 个值</translation>
    </message>
    <message>
        <location filename="../core/gini.py" line="128"/>
        <source>Gini (rsv): all values are 0: the Gini coefficient is undefined</source>
        <translation>基尼系数（rsv）：所有值均为 0，基尼系数无定义</translation>
    </message>
    <message>
        <location filename="../core/hurst.py" line="370"/>
        <source>method must be one of {}, not {!r}</source>
        <translation>方法必须是 {} 之一，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/hurst.py" line="377"/>
        <source>windows is used by method 'rs_segmented' only</source>
        <translation>windows 仅用于 'rs_segmented' 方法</translation>
    </message>
    <message>
        <location filename="../core/hurst.py" line="380"/>
        <source>window sizes must be integers &gt;= 2</source>
        <translation>窗口大小必须是 &gt;= 2 的整数</translation>
    </message>
    <message>
        <location filename="../core/io/blocks.py" line="243"/>
        <source>{}: {:,} pixels with data, {:,} computed, {:,} left out (fewer valid values than the minimum, or missing in another input); {:.1f} s</source>
        <translation>{}：{:,} 个像元有数据，已计算 {:,} 个，排除 {:,} 个（有效值少于最少要求，或在其他输入中缺失）；{:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../core/io/blocks.py" line="248"/>
        <source>{}: {:,} pixels computed; {:.1f} s</source>
        <translation>{}：已计算 {:,} 个像元；{:.1f} 秒</translation>
    </message>
    <message>
        <location filename="../core/io/blocks.py" line="251"/>
        <source>no pixel has enough valid values: every output pixel would be nodata (check nodata, valid range and the minimum number of valid years)</source>
        <translation>没有像元具有足够的有效值：所有输出像元都将为无数据（请检查无数据值、有效范围和最少有效年数）</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="139"/>
        <source>the dask scheduler {} did not answer within {:g} s: is a dask scheduler listening there? (--dask-timeout to wait longer)</source>
        <translation>dask 调度器 {} 在 {:g} 秒内没有响应：那里有 dask 调度器在监听吗？（用 --dask-timeout 等待更久）</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="145"/>
        <source>cannot connect to the dask scheduler {}: {}</source>
        <translation>无法连接到 dask 调度器 {}：{}</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="146"/>
        <source>{} does not answer as a dask scheduler ({}); check the address and port</source>
        <translation>{} 没有以 dask 调度器的方式响应（{}）；请检查地址和端口</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="166"/>
        <source>--dask needs dask: pip install 'carbonsink[dask]' (dask[array,distributed])</source>
        <translation>--dask 需要 dask：pip install 'carbonsink[dask]'（dask[array,distributed]）</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="173"/>
        <source>--dask local or an address needs dask.distributed: pip install 'dask[distributed]' (or use --dask threads)</source>
        <translation>--dask local 或调度器地址需要 dask.distributed：pip install 'dask[distributed]'（或使用 --dask threads）</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="187"/>
        <source>--dask must be local, threads or a scheduler address such as tcp://host:8786, not {!r}</source>
        <translation>--dask 必须是 local、threads 或调度器地址（如 tcp://host:8786），而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="195"/>
        <source>dask worker {} cannot run CarbonSink ({})</source>
        <translation>dask 工作进程 {} 无法运行 CarbonSink（{}）</translation>
    </message>
    <message>
        <location filename="../core/io/dask.py" line="313"/>
        <source>cannot write {}: folder {} does not exist</source>
        <translation>无法写出 {}：文件夹 {} 不存在</translation>
    </message>
    <message>
        <location filename="../core/io/outputs.py" line="158"/>
        <source>cannot write {}: it is a folder; give a file name</source>
        <translation>无法写出 {}：它是一个文件夹；请给出文件名</translation>
    </message>
    <message>
        <location filename="../core/io/outputs.py" line="162"/>
        <source>cannot write {}: folder {} is not writable</source>
        <translation>无法写出 {}：文件夹 {} 不可写</translation>
    </message>
    <message>
        <location filename="../core/io/outputs.py" line="188"/>
        <source>output {} ({}) is also an input: choose another file name (the input would be overwritten)</source>
        <translation>输出 {}（{}）同时也是输入：请换一个文件名（否则输入会被覆盖）</translation>
    </message>
    <message>
        <location filename="../core/io/outputs.py" line="192"/>
        <source>outputs {} and {} have the same path {}: give each output its own file name</source>
        <translation>输出 {} 和 {} 的路径相同（{}）：请为每个输出指定不同的文件名</translation>
    </message>
    <message>
        <location filename="../core/io/outputs.py" line="251"/>
        <source>cannot write {}: its temporary file is gone</source>
        <translation>无法写出 {}：其临时文件已不存在</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="74"/>
        <source>cannot open raster {}: {}</source>
        <translation>无法打开栅格 {}：{}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="108"/>
        <source>{}: no raster given</source>
        <translation>{}：未提供栅格</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="123"/>
        <source>{}: {} has {} bands; give either one multiband raster or several single-band rasters</source>
        <translation>{}：{} 有 {} 个波段；请给出一个多波段栅格，或多个单波段栅格</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="136"/>
        <source>{}: {} does not match {}: it has {}</source>
        <translation>{}：{} 与 {} 不匹配：它的是 {}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="153"/>
        <source>{}: the layers have different scale/offset metadata; give the scale and offset explicitly</source>
        <translation>{}：各图层的缩放/偏移元数据不同；请明确给出缩放系数和偏移量</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="177"/>
        <source>{}: read error: {}</source>
        <translation>{}：读取错误：{}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="183"/>
        <source>{}: read error in layer {}: {}</source>
        <translation>{}：第 {} 层读取错误：{}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="258"/>
        <source>{} does not match {}: it has {}</source>
        <translation>{} 与 {} 不匹配：它的是 {}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="364"/>
        <source>cannot create {}: {}</source>
        <translation>无法创建 {}：{}</translation>
    </message>
    <message>
        <location filename="../core/io/raster.py" line="381"/>
        <source>{}: {} bands for {}</source>
        <translation>{}：{} 个波段对应 {}</translation>
    </message>
    <message>
        <location filename="../core/io/vector.py" line="26"/>
        <source>cannot open the vector layer {}</source>
        <translation>无法打开矢量图层 {}</translation>
    </message>
    <message>
        <location filename="../core/io/vector.py" line="92"/>
        <source>{}: vector outputs are GeoPackage (.gpkg) or GeoJSON (.geojson) files</source>
        <translation>{}：矢量输出须为 GeoPackage（.gpkg）或 GeoJSON（.geojson）文件</translation>
    </message>
    <message>
        <location filename="../core/io/vector.py" line="105"/>
        <source>cannot create the vector layer {}</source>
        <translation>无法创建矢量图层 {}</translation>
    </message>
    <message>
        <location filename="../core/io/zones.py" line="43"/>
        <source>zone ids must be positive integers</source>
        <translation>分区编号必须是正整数</translation>
    </message>
    <message>
        <location filename="../core/io/zones.py" line="94"/>
        <source>rasterising the zones failed: {}</source>
        <translation>分区栅格化失败：{}</translation>
    </message>
    <message>
        <location filename="../core/io/zones.py" line="116"/>
        <source>zones {} and {} overlap ({} pixels lie in two or more zones): per-zone totals would count the overlap in one zone only. Fix the polygons (e.g. Vector &gt; Geoprocessing &gt; Union, then dissolve) or give zones that do not overlap</source>
        <translation>分区 {} 与 {} 重叠（{} 个像元位于两个或更多分区中）：分区总量只会把重叠部分计入其中一个分区。请修正多边形（如 矢量 &gt; 地理处理 &gt; 联合，再融合），或给出互不重叠的分区</translation>
    </message>
    <message>
        <location filename="../core/io/zones.py" line="151"/>
        <source>cannot open vector {}</source>
        <translation>无法打开矢量 {}</translation>
    </message>
    <message>
        <location filename="../core/io/zones.py" line="154"/>
        <source>{}: no layer {!r}</source>
        <translation>{}：没有图层 {!r}</translation>
    </message>
    <message>
        <location filename="../core/permutations.py" line="370"/>
        <source>{} units: permutations handle fewer than 2^31</source>
        <translation>{} 个单元：置换检验只能处理少于 2^31 个单元</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="44"/>
        <source>{} composites of {} days do not fit in {}</source>
        <translation>{} 个 {} 天的合成数据放不进 {}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="62"/>
        <source>aggregation must be one of {}, not {!r}</source>
        <translation>聚合方式必须是 {} 之一，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="78"/>
        <source>composites per year must be at least 1</source>
        <translation>每年的合成数据个数至少为 1</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="80"/>
        <source>{} has {} layers: not a whole number of years of {} composites ({} = {} x {} + {})</source>
        <translation>{} 有 {} 个图层：不是整数年（每年 {} 个合成数据）（{} = {} x {} + {}）</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="88"/>
        <source>the year window {}..{} is outside the stack's years {}..{}</source>
        <translation>年份窗口 {}..{} 超出了栅格序列的年份 {}..{}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="129"/>
        <source>the {}, row {}: from and to must be integer codes, not {}</source>
        <translation>{} 第 {} 行：from 和 to 必须是整数代码，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="132"/>
        <source>the {}: code {} is listed twice</source>
        <translation>{}：代码 {} 列出了两次</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="137"/>
        <source>the {}: class {} is called both {!r} and {!r}</source>
        <translation>{}：类别 {} 同时被命名为 {!r} 和 {!r}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="141"/>
        <source>the {} has no rows (columns: from, to, name)</source>
        <translation>{} 没有任何行（列：from, to, name）</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="148"/>
        <source>no shipped table {!r}; choose from {}</source>
        <translation>没有内置表 {!r}；请从 {} 中选择</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="162"/>
        <source>class codes {}..{} do not fit a 16-bit class raster</source>
        <translation>类别代码 {}..{} 超出 16 位类别栅格的范围</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="212"/>
        <source>breaks must be numbers separated by commas, not {!r}</source>
        <translation>断点必须是以逗号分隔的数字，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="214"/>
        <source>give at least one break value</source>
        <translation>请至少给出一个断点值</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="216"/>
        <source>breaks must be finite and increasing, not {!r}</source>
        <translation>断点必须是有限且递增的数值，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="226"/>
        <source>at most 126 breaks</source>
        <translation>最多 126 个断点</translation>
    </message>
    <message>
        <location filename="../core/prepare.py" line="241"/>
        <source>{} breaks make {} classes: give {} names, not {}</source>
        <translation>{} 个断点形成 {} 个类别：请给出 {} 个名称，而不是 {} 个</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="35"/>
        <source>{} years given for a stack of {} layers</source>
        <translation>给出了 {} 个年份，但栅格序列有 {} 个图层</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="45"/>
        <source>{} has {} layers: at least {} years are needed</source>
        <translation>{} 只有 {} 个图层：至少需要 {} 年</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="98"/>
        <source>{} pixels computed; {} left out with fewer than {} valid years of {} (set the minimum number of valid years to keep them); {} without any valid year</source>
        <translation>已计算 {} 个像元；{} 个像元因有效年数少于 {} 年（共 {} 年）被排除（调低“最少有效年数”可保留它们）；{} 个像元没有任何有效年份</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="123"/>
        <source>no output was asked for</source>
        <translation>未指定任何输出</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="142"/>
        <source>minimum number of valid years must be between 3 and {}, not {}</source>
        <translation>最少有效年数必须在 3 到 {} 之间，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="157"/>
        <source>FDR q-values and classes need a second pass over GeoTIFF p-values: write them with --format gtiff</source>
        <translation>FDR q 值和分级需要对 GeoTIFF 格式的 p 值做第二遍计算：请使用 --format gtiff 输出</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="273"/>
        <source>minimum number of valid years must be between 1 and {}</source>
        <translation>最少有效年数必须在 1 到 {} 之间</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="279"/>
        <source>year {} is not one of the stack's years ({:g}..{:g})</source>
        <translation>年份 {} 不在栅格序列的年份范围内（{:g}..{:g}）</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="313"/>
        <source>temperature has {} layers but precipitation {}</source>
        <translation>气温有 {} 个图层，而降水有 {} 个</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="320"/>
        <source>climate stacks have {} layers: expected {} (monthly) or {} (annual) for {} years of NPP</source>
        <translation>气候序列有 {} 个图层：应为 {} 个（逐月）或 {} 个（逐年），对应 {} 年的 NPP</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="325"/>
        <source>{} mode needs {} climate layers for {} years of NPP, got {}</source>
        <translation>{} 模式需要 {} 个气候图层（对应 {} 年的 NPP），实际为 {} 个</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="336"/>
        <source>NPP stack is empty</source>
        <translation>NPP 栅格序列为空</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="382"/>
        <source>minimum number of valid years must be between 2 and {}</source>
        <translation>最少有效年数必须在 2 到 {} 之间</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="388"/>
        <source>class breaks must be increasing numbers</source>
        <translation>分级界值必须是递增的数值</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="462"/>
        <source>'only significant trends' needs the Mann-Kendall test of the same pass: leave the slope raster empty</source>
        <translation>“仅考虑显著趋势”需要同一遍计算中的 Mann-Kendall 检验：请将斜率栅格留空</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="496"/>
        <source>at least one driver stack is needed</source>
        <translation>至少需要一个驱动因子序列</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="499"/>
        <source>driver {} has {} layers but the target {}</source>
        <translation>驱动因子 {} 有 {} 个图层，而目标变量有 {} 个</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="503"/>
        <source>with {} drivers the minimum number of valid years must be between {} and {}</source>
        <translation>有 {} 个驱动因子时，最少有效年数必须在 {} 到 {} 之间</translation>
    </message>
    <message>
        <location filename="../core/rasters.py" line="528"/>
        <source>drivers {} and {} are the same raster: give each driver once (a driver controlled for itself has no partial correlation)</source>
        <translation>驱动因子 {} 和 {} 是同一个栅格：每个驱动因子只需给出一次（以自身为控制变量的因子没有偏相关）</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="62"/>
        <source>resampling must be one of {}</source>
        <translation>重采样方法必须是 {} 之一</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="65"/>
        <source>the target grid is rotated: warp it to a north-up grid first</source>
        <translation>目标格网是旋转的：请先将其重投影到正北朝上的格网</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="76"/>
        <source>{}: cannot warp {} onto the target grid: {}</source>
        <translation>{}：无法将 {} 重投影到目标格网：{}</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="88"/>
        <source>{}: warping did not reproduce the target grid ({})</source>
        <translation>{}：重投影未能得到目标格网（{}）</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="121"/>
        <source>{} has no CRS: its coordinates fit longitude/latitude, so WGS84 (EPSG:4326) is assumed</source>
        <translation>{} 没有坐标系：其坐标符合经纬度范围，因此按 WGS84（EPSG:4326）处理</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="125"/>
        <source>{} has no CRS and its coordinates are not longitude/latitude: assign its CRS first</source>
        <translation>{} 没有坐标系，且其坐标不是经纬度：请先为其指定坐标系</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="134"/>
        <source>the target resolution must be positive</source>
        <translation>目标分辨率必须为正</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="150"/>
        <source>the inputs do not overlap</source>
        <translation>各输入互不重叠</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="221"/>
        <source>{} is rotated: warp it to a north-up grid first</source>
        <translation>{} 是旋转的：请先将其重投影到正北朝上的格网</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="228"/>
        <source>{} is in another CRS than the target grid: warped with GDAL's average resampling (not exactly conservative)</source>
        <translation>{} 与目标格网的坐标系不同：已用 GDAL 平均值重采样重投影（并非严格守恒）</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="252"/>
        <source>{} does not overlap the target grid</source>
        <translation>{} 与目标格网不重叠</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="317"/>
        <source>cannot warp {}: {}</source>
        <translation>无法重投影 {}：{}</translation>
    </message>
    <message>
        <location filename="../core/regrid.py" line="420"/>
        <source>the class raster must have one band</source>
        <translation>类别栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="92"/>
        <source>zones and maintained years differ in shape</source>
        <translation>分区与保持年数的形状不同</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="100"/>
        <source>maintained years out of range for this counter</source>
        <translation>保持年数超出了该计数器的范围</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="328"/>
        <source>zone {!r} has no valid pixel ({}): it is reported with empty ratios and fits</source>
        <translation>分区 {!r} 没有有效像元（{}）：其比值和拟合结果留空</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="346"/>
        <source>fit method must be one of {}, not {!r}</source>
        <translation>拟合方法必须是 {} 之一，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="354"/>
        <source>zones have shape {}, the pixels {}</source>
        <translation>分区的形状为 {}，而像元的形状为 {}</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="389"/>
        <source>{} has {} layers: resilience needs at least {} years</source>
        <translation>{} 有 {} 个图层：恢复力分析至少需要 {} 年</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="393"/>
        <source>minimum number of valid years must be between {} and {}, not {}</source>
        <translation>最少有效年数必须在 {} 到 {} 之间，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="408"/>
        <source>the zone raster has {} layers, expected 1</source>
        <translation>分区栅格有 {} 个图层，应为 1 个</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="435"/>
        <source>resilience: {} years {:g}..{:g}, reference year {:g}, {} evaluation years, fit {}</source>
        <translation>恢复力：{} 年（{:g}..{:g}），参考年份 {:g}，{} 个评估年份，拟合方法 {}</translation>
    </message>
    <message>
        <location filename="../core/resilience.py" line="441"/>
        <source>no valid pixel{}: every pixel has fewer than {} valid years or fewer than {} valid years up to the reference year (check nodata, the valid range and the minimum number of valid years)</source>
        <translation>没有有效像元{}：每个像元的有效年数都少于 {} 年，或到参考年份为止的有效年数少于 {} 年（请检查无数据值、有效范围和最少有效年数）</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="41"/>
        <source>the {} is empty</source>
        <translation>{} 为空</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="49"/>
        <source>the {} needs the columns year, n_pos (N+) and n_neg (N-); missing: {} (header: {})</source>
        <translation>{} 需要 year、n_pos（N+）和 n_neg（N-）列；缺少：{}（表头：{}）</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="61"/>
        <source>the {}, line {}: year, n_pos and n_neg must be numbers, not {}</source>
        <translation>{} 第 {} 行：year、n_pos 和 n_neg 必须是数字，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="64"/>
        <source>the {}, line {}: counts must be finite and &gt;= 0</source>
        <translation>{} 第 {} 行：计数必须是有限值且 &gt;= 0</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="69"/>
        <source>the {} has no rows</source>
        <translation>{} 没有任何行</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="76"/>
        <source>the {}: zone {!r} has year {:g} twice</source>
        <translation>{}：分区 {!r} 的年份 {:g} 出现了两次</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="99"/>
        <source>zone {!r}: years, n_pos and n_neg differ in length</source>
        <translation>分区 {!r}：年份、n_pos 与 n_neg 的长度不同</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="103"/>
        <source>zone {!r}: the reference year {:g} is not in the table ({:g}..{:g})</source>
        <translation>分区 {!r}：参考年份 {:g} 不在表中（{:g}..{:g}）</translation>
    </message>
    <message>
        <location filename="../core/resilience_counts.py" line="106"/>
        <source>zone {!r}: {} years from the reference year {:g} on; the decay fit needs at least 3</source>
        <translation>分区 {!r}：只有 {} 年（自参考年份 {:g} 起）；衰减拟合至少需要 3 年</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="31"/>
        <source>the series decays; tau is usable</source>
        <translation>序列在衰减；tau 可用</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="32"/>
        <source>no pixel had this trend at the reference year (N(t') = 0): q is undefined</source>
        <translation>参考年份没有像元具有该趋势（N(t') = 0）：q 无定义</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="34"/>
        <source>fewer than 2 usable points (log-linear: fewer than 2 positive ratios)</source>
        <translation>可用点少于 2 个（对数线性：正比值少于 2 个）</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="36"/>
        <source>the ratio never falls (constant series, or a fitted rate &lt;= 0)</source>
        <translation>比值从不下降（常数序列，或拟合速率 &lt;= 0）</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="37"/>
        <source>the ratio stays constant (&gt; 0) over the last third of the years (at least 3)</source>
        <translation>比值在最后三分之一的年份（至少 3 年）中保持不变（&gt; 0）</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="39"/>
        <source>the fitted tau exceeds {:g} years</source>
        <translation>拟合的 tau 超过 {:g} 年</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="40"/>
        <source>the non-linear fit did not converge</source>
        <translation>非线性拟合未收敛</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="170"/>
        <source>a fixed lambda must be a positive number, not {!r}</source>
        <translation>固定的 lambda 必须是正数，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/resilience_fit.py" line="174"/>
        <source>{} years for {} ratios</source>
        <translation>{} 个年份对应 {} 个比值</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="63"/>
        <source>q+ (positive trend kept)</source>
        <translation>q+（保持正趋势）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="64"/>
        <source>q- (negative trend kept)</source>
        <translation>q-（保持负趋势）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="70"/>
        <source>fit: tau = {} years</source>
        <translation>拟合：tau = {} 年</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="72"/>
        <source>year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="74"/>
        <source>share of pixels still keeping the trend (%)</source>
        <translation>仍保持趋势的像元比例（%）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="123"/>
        <source>share keeping the trend (%)</source>
        <translation>保持趋势的比例（%）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="168"/>
        <source>Carbon-sink resilience by probability attenuation</source>
        <translation>基于概率衰减的碳汇恢复力</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="180"/>
        <source>non-linear least squares on the ratios</source>
        <translation>对比例的非线性最小二乘</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="181"/>
        <source>log-linear least squares (ln q on t)</source>
        <translation>对数线性最小二乘（ln q 对 t）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="182"/>
        <source>reference year t'</source>
        <translation>参考年份 t'</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="183"/>
        <source>years</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="184"/>
        <source>evaluation years</source>
        <translation>评估年份</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="185"/>
        <source>fit</source>
        <translation>拟合方法</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="186"/>
        <source>minimum valid years per pixel</source>
        <translation>每个像元的最少有效年数</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="193"/>
        <source>No font with Chinese glyphs was found: zone names in the charts may show as boxes. Install one (Debian: fonts-wqy-microhei; Windows and macOS have one) and run again.</source>
        <translation>未找到含中文字形的字体：图表中的分区名称可能显示为方框。请安装一种（Debian：fonts-wqy-microhei；Windows 和 macOS 已自带）后重新运行。</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="197"/>
        <source>Per pixel, K&lt;sub&gt;i&lt;/sub&gt; is the least-squares slope of NPP from the first year to each evaluation year t&lt;sub&gt;i&lt;/sub&gt; &amp;ge; t'; a pixel keeps its trend while the sign of K&lt;sub&gt;i&lt;/sub&gt; equals its sign at t'. N+ / N- count the pixels still keeping a positive / negative trend, q = N(t&lt;sub&gt;i&lt;/sub&gt;) / N(t'), and q(t) = &amp;lambda; exp(-(t - t') / &amp;tau;) is fitted to each series. RS = &amp;tau;&lt;sub&gt;p&lt;/sub&gt; - &amp;tau;&lt;sub&gt;n&lt;/sub&gt; (years); levels (Wu et al. 2023): RS &amp;gt; 500 extremely strong, 100..500 stronger, 0..100 strong, -100..0 weak, &amp;lt; -100 weaker. Decay times depend on the fit (non-linear and log-linear least squares give different &amp;tau; for the same curve), and a flagged fit gives no &amp;tau; and no RS: the convergence year of the two curves is the fallback.</source>
        <translation>逐像元计算：K&lt;sub&gt;i&lt;/sub&gt; 为 NPP 从第一年到各评估年份 t&lt;sub&gt;i&lt;/sub&gt; &amp;ge; t' 的最小二乘斜率；当 K&lt;sub&gt;i&lt;/sub&gt; 的符号与其在 t' 时的符号相同时，像元保持其趋势。N+ / N- 为仍保持正 / 负趋势的像元数，q = N(t&lt;sub&gt;i&lt;/sub&gt;) / N(t')，并对每条序列拟合 q(t) = &amp;lambda; exp(-(t - t') / &amp;tau;)。RS = &amp;tau;&lt;sub&gt;p&lt;/sub&gt; - &amp;tau;&lt;sub&gt;n&lt;/sub&gt;（年）；等级（Wu et al. 2023）：RS &amp;gt; 500 极强，100..500 较强，0..100 强，-100..0 弱，&amp;lt; -100 较弱。衰减时间取决于拟合方法（对同一曲线，非线性与对数线性最小二乘给出不同的 &amp;tau;），被标记的拟合不给出 &amp;tau; 与 RS：此时以两条曲线的交汇年份作为替代。</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="208"/>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="208"/>
        <source>zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="209"/>
        <source>valid pixels</source>
        <translation>有效像元</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="211"/>
        <source>level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="212"/>
        <source>convergence year</source>
        <translation>交汇年份</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="212"/>
        <source>flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="227"/>
        <source>{} pixels in the zone, {} analysed</source>
        <translation>分区内 {} 个像元，分析 {} 个</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="229"/>
        <source>, {} left out (missing values)</source>
        <translation>，排除 {} 个（缺失值）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="232"/>
        <source>No valid pixel: nothing to fit.</source>
        <translation>没有有效像元：无可拟合。</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="235"/>
        <source>series</source>
        <translation>序列</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="238"/>
        <source>fitted</source>
        <translation>拟合的</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="239"/>
        <source>flag</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="240"/>
        <source>positive (q+)</source>
        <translation>正趋势（q+）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="241"/>
        <source>negative (q-)</source>
        <translation>负趋势（q-）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="255"/>
        <source>{:g} ({:g} years after t')</source>
        <translation>{:g}（t' 之后 {:g} 年）</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="257"/>
        <source>the curves do not meet</source>
        <translation>两条曲线不相交</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="258"/>
        <source>not determined</source>
        <translation>无法确定</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="260"/>
        <source>convergence of the two curves</source>
        <translation>两条曲线的交汇</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="261"/>
        <source>Counts per year</source>
        <translation>逐年计数</translation>
    </message>
    <message>
        <location filename="../core/resilience_report.py" line="269"/>
        <source>Source: Wu L. et al. (2023) Characteristics of vegetation carbon sink carrying capacity and restoration potential of China in recent 40 years. Front. For. Glob. Change 6:1266688. Computed by CarbonSink.</source>
        <translation>来源：Wu L. et al. (2023) Characteristics of vegetation carbon sink carrying capacity and restoration potential of China in recent 40 years. Front. For. Glob. Change 6:1266688。由 CarbonSink 计算。</translation>
    </message>
    <message>
        <location filename="../core/resilience_slopes.py" line="32"/>
        <source>reference year {:g} is not one of the stack's years ({})</source>
        <translation>参考年份 {:g} 不在栅格序列的年份中（{}）</translation>
    </message>
    <message>
        <location filename="../core/resilience_slopes.py" line="35"/>
        <source>resilience needs at least {} years, the stack has {}</source>
        <translation>恢复力分析至少需要 {} 年，而栅格序列只有 {} 年</translation>
    </message>
    <message>
        <location filename="../core/resilience_slopes.py" line="39"/>
        <source>reference year {:g} is {} of the stack ({}): the trend at the reference year is the slope over the years from the first year to it, which needs at least {} years; choose a reference year of {:g} or later (Wu et al. 2023: 2000 for 1981-2018)</source>
        <translation>参考年份 {:g} 是栅格序列的{}（{}）：参考年份的趋势是从第一年到该年的斜率，至少需要 {} 年；请选择 {:g} 年或更晚的参考年份（Wu et al. 2023：1981-2018 年取 2000 年）</translation>
    </message>
    <message>
        <location filename="../core/resilience_slopes.py" line="46"/>
        <source>reference year {:g} is {} of the stack ({}): no later years are left to follow the trend; the decay fit needs at least {} years after the reference year, so choose a reference year of {:g} or earlier</source>
        <translation>参考年份 {:g} 是栅格序列的{}（{}）：之后没有年份可以跟踪趋势；衰减拟合在参考年份之后至少需要 {} 年，请选择 {:g} 年或更早的参考年份</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="33"/>
        <source>Carbon accounting</source>
        <translation>碳核算</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="37"/>
        <source>Class names: CSV with columns code,name</source>
        <translation>类别名称：含 code,name 两列的 CSV</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="54"/>
        <source>Input raster</source>
        <translation>输入栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="64"/>
        <source>Pixel areas of a raster grid (geodesic on geographic grids)</source>
        <translation>栅格格网的像元面积（地理坐标格网按椭球面计算）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="66"/>
        <source>Raster whose grid is measured</source>
        <translation>要计算其格网的栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="67"/>
        <source>Area unit</source>
        <translation>面积单位</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="69"/>
        <source>Pixel area</source>
        <translation>像元面积</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="77"/>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="82"/>
        <source>Land cover</source>
        <translation>土地覆被</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="88"/>
        <source>Pixel areas: {}</source>
        <translation>像元面积：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="96"/>
        <source>Grand total: {:.6g} {} (mean of {} layers, SD {:.4g})</source>
        <translation>总计：{:.6g} {}（{} 个图层的均值，标准差 {:.4g}）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="108"/>
        <source>area (km2)</source>
        <translation>面积（km2）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="108"/>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="108"/>
        <source>valid area (km2)</source>
        <translation>有效面积（km2）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="110"/>
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="110"/>
        <source>All zones</source>
        <translation>全部分区</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="115"/>
        <source>SD</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="115"/>
        <source>mean total ({})</source>
        <translation>平均总量（{}）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="115"/>
        <source>share (%)</source>
        <translation>占比（%）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="123"/>
        <source>Pixel areas</source>
        <translation>像元面积</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="124"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="132"/>
        <source>Total per zone ({})</source>
        <translation>各分区总量（{}）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="134"/>
        <source>Zonal summary</source>
        <translation>分区统计</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="138"/>
        <source>Zonal summary: area-weighted totals per zone and land-cover class</source>
        <translation>分区统计：按分区和土地覆被类别的面积加权总量</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="140"/>
        <source>Raster(s): a stack (one layer per year) or separate variables (e.g. CSCC, NPP of a year, potential)</source>
        <translation>栅格：一个时间序列（每年一层）或若干独立变量（如 CSCC、某年 NPP、碳汇潜力）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="142"/>
        <source>The layers are</source>
        <translation>图层类型</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="143"/>
        <source>Years of one variable (totals per year, mean and SD across years)</source>
        <translation>同一变量的各年份（逐年总量、多年均值与标准差）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="145"/>
        <source>Separate variables (one total column per layer, e.g. Wu et al. 2023 Table 1)</source>
        <translation>独立变量（每个图层一列总量，如 Wu et al. 2023 表 1）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="150"/>
        <source>Land-cover raster (classes)</source>
        <translation>土地覆被栅格（类别）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="152"/>
        <source>Count only pixels valid in every layer (totals of separate variables then add up exactly)</source>
        <translation>只统计在所有图层中均有效的像元（各变量的总量可精确相加）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="154"/>
        <source>Ratios of layer totals in % (layer numbers a/b, e.g. 3/1 for potential / CSCC)</source>
        <translation>图层总量之比（%，以图层序号 a/b 表示，如 3/1 表示潜力 / CSCC）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="158"/>
        <source>Per zone, class and layer</source>
        <translation>按分区、类别和图层</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="159"/>
        <source>Summary per zone and class</source>
        <translation>按分区和类别汇总</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="160"/>
        <source>Summary as CSV</source>
        <translation>汇总（CSV）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="161"/>
        <source>Report (HTML)</source>
        <translation>报告（HTML）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="174"/>
        <source>First land cover</source>
        <translation>第一期土地覆被</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="175"/>
        <source>Second land cover</source>
        <translation>第二期土地覆被</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="179"/>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="188"/>
        <source>Changed: {:.6g} km2, {:.4g} % of the area valid in both maps</source>
        <translation>变化面积：{:.6g} km2，占两期均有效面积的 {:.4g} %</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="210"/>
        <source>a variable per transition needs exactly two maps</source>
        <translation>按转移类型统计变量只适用于恰好两期地图</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="224"/>
        <source>{}: changed {} km2, {} % of the area valid in both maps</source>
        <translation>{}：变化 {} km2，占两期均有效面积的 {} %</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="260"/>
        <source>Land-cover transitions (km2)</source>
        <translation>土地覆被转移（km2）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="263"/>
        <source>Changed area</source>
        <translation>变化面积</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="266"/>
        <source>from \ to</source>
        <translation>转出 \ 转入</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="266"/>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="270"/>
        <source>Land-cover transitions</source>
        <translation>土地覆被转移</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="289"/>
        <source>Whole area</source>
        <translation>整个区域</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="301"/>
        <source>% of the area valid in both maps</source>
        <translation>占两期地图均有效面积的百分比（%）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="306"/>
        <source>Net change per class</source>
        <translation>各类别净变化</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="311"/>
        <source>Land-cover transition matrix (areas, change, variable per transition)</source>
        <translation>土地覆被转移矩阵（面积、变化、各转移类型的变量均值）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="314"/>
        <source>Land cover, first date (classes)</source>
        <translation>第一期土地覆被（类别）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="315"/>
        <source>Land cover, second date (classes)</source>
        <translation>第二期土地覆被（类别）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="316"/>
        <source>Land cover at later dates, in time order (a chain: first -&gt; second -&gt; third ...)</source>
        <translation>更晚日期的土地覆被，按时间顺序（链：第一期 -&gt; 第二期 -&gt; 第三期 ……）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="318"/>
        <source>Variable to average per transition (on the grid of the first map; e.g. NPP change)</source>
        <translation>按转移类型求均值的变量（与第一期图格网一致；如 NPP 变化量）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="322"/>
        <source>Transitions (from, to, area, %, variable mean)</source>
        <translation>转移（转出类、转入类、面积、%、变量均值）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="323"/>
        <source>Change per class (persistence, loss, gain, net)</source>
        <translation>各类别变化（保持、转出、转入、净变化）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="325"/>
        <source>Transition matrices as CSV (km2 and %)</source>
        <translation>转移矩阵（CSV，km2 与 %）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="326"/>
        <source>Report with Sankey diagram (HTML)</source>
        <translation>含桑基图的报告（HTML）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="327"/>
        <source>Changed / unchanged raster</source>
        <translation>变化 / 未变化栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="336"/>
        <source>NEP</source>
        <translation>NEP</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="337"/>
        <source>Runoff</source>
        <translation>径流</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="338"/>
        <source>Lithology</source>
        <translation>岩性</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="340"/>
        <source>Emissions</source>
        <translation>碳排放</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="347"/>
        <source>give the emissions either as a raster or as a field of the zones, not both</source>
        <translation>碳排放请以栅格或分区字段之一给出，不能同时给出</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="363"/>
        <source>{} {}: NEP {:.6g} + RCS {:.6g} = ECS {:.6g}; CE {:.6g}; CNC {:.6g} {}</source>
        <translation>{} {}：NEP {:.6g} + RCS {:.6g} = ECS {:.6g}；CE {:.6g}；CNC {:.6g} {}</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="384"/>
        <source>Totals in</source>
        <translation>总量单位</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="384"/>
        <source>per year</source>
        <translation>每年</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="391"/>
        <source>Carbon neutral capacity CNC = ECS - CE ({})</source>
        <translation>碳中和能力 CNC = ECS - CE（{}）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="395"/>
        <source>Ecosystem carbon sink ECS = NEP + RCS</source>
        <translation>生态系统碳汇 ECS = NEP + RCS</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="399"/>
        <source>Rock-weathering sink per lithology</source>
        <translation>各岩性的岩石风化碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="401"/>
        <source>Carbon budget</source>
        <translation>碳收支</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="405"/>
        <source>Carbon budget: rock-weathering sink, ECS and carbon neutral capacity</source>
        <translation>碳收支：岩石风化碳汇、生态系统碳汇（ECS）与碳中和能力</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="408"/>
        <source>NEP (g C m-2 yr-1; one layer, or one per year)</source>
        <translation>NEP（g C m-2 yr-1；一个图层，或每年一个）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="409"/>
        <source>Annual runoff Q (mm yr-1; one band, or one per NEP layer)</source>
        <translation>年径流深 Q（mm yr-1；一个波段，或每个 NEP 图层一个）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="410"/>
        <source>Lithology (classes)</source>
        <translation>岩性（类别）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="411"/>
        <source>Rock-weathering coefficients a per lithology class (CSV: code, lithology, a, a_unit, source; template in algorithms/templates)</source>
        <translation>各岩性类别的岩石风化系数 a（CSV：code、lithology、a、a_unit、source；模板见 algorithms/templates）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="414"/>
        <source>Lithology classes without a coefficient count as 0 (e.g. water, ice)</source>
        <translation>无系数的岩性类别按 0 计（如水体、冰川）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="416"/>
        <source>Carbon emissions CE as a raster</source>
        <translation>碳排放量 CE 栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="417"/>
        <source>Unit of the emission raster (per year)</source>
        <translation>碳排放栅格的单位（每年）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="420"/>
        <source>Emissions per zone: numeric field of the zone layer (instead of a raster)</source>
        <translation>各分区碳排放量：分区图层的数值字段（代替栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="422"/>
        <source>Unit of the per-zone emissions (per year)</source>
        <translation>分区碳排放量的单位（每年）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="424"/>
        <source>Rock-weathering sink RCS</source>
        <translation>岩石风化碳汇 RCS</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="426"/>
        <source>Carbon neutral capacity CNC = ECS - CE (needs the emission raster)</source>
        <translation>碳中和能力 CNC = ECS - CE（需要碳排放栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="428"/>
        <source>Carbon surplus / deficit (needs the emission raster)</source>
        <translation>碳盈余 / 碳赤字（需要碳排放栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="430"/>
        <source>Budget per zone (totals)</source>
        <translation>各分区碳收支（总量）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="431"/>
        <source>Rock-weathering sink per lithology class</source>
        <translation>各岩性类别的岩石风化碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="433"/>
        <source>Budget per zone as CSV</source>
        <translation>各分区碳收支（CSV）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="446"/>
        <source>the target year comes before the first year</source>
        <translation>目标年早于起始年</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="456"/>
        <source>Added sink, all measures, {}: {:.6g} {} per year on {:.6g} km2</source>
        <translation>全部措施的新增碳汇，{}：{:.6g} {}/年，实施面积 {:.6g} km2</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="465"/>
        <source>{}: {} {} per year (range {} - {}); cumulative {} {}</source>
        <translation>{}：每年 {} {}（范围 {} - {}）；累计 {} {}</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="477"/>
        <source>per year; rates from the measure table (sources in the last column).</source>
        <translation>每年；速率取自措施表（来源见最后一列）。</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="478"/>
        <source>Added sink in</source>
        <translation>新增碳汇，单位</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="482"/>
        <source>Added sink per measure</source>
        <translation>各措施的新增碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="484"/>
        <source>Sink enhancement scenario</source>
        <translation>增汇情景</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="489"/>
        <source>Sink enhancement scenario: added sink of measures per zone</source>
        <translation>增汇情景：各分区增汇措施的新增碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="491"/>
        <source>Land cover (classes)</source>
        <translation>土地覆被（类别）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="492"/>
        <source>Measures (CSV: measure, class, share_pct or area_km2, rate, rate_unit, source; template in algorithms/templates)</source>
        <translation>增汇措施（CSV：measure、class、share_pct 或 area_km2、rate、rate_unit、source；模板见 algorithms/templates）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="497"/>
        <source>Added sink per zone and measure</source>
        <translation>各分区、各措施的新增碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="498"/>
        <source>Added sink as CSV</source>
        <translation>新增碳汇（CSV）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="500"/>
        <source>Expected added sink density (g m-2 yr-1)</source>
        <translation>预期新增碳汇密度（g m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="502"/>
        <source>Yearly path: first year</source>
        <translation>逐年路径：起始年</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="503"/>
        <source>Yearly path: target year</source>
        <translation>逐年路径：目标年</translation>
    </message>
    <message>
        <location filename="../core/runs/accounting.py" line="504"/>
        <source>Yearly path of the added sink (CSV: central, low, high, cumulative)</source>
        <translation>增汇量逐年路径（CSV：中值、下限、上限、累计）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="22"/>
        <source>Carbon sink</source>
        <translation>碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="25"/>
        <source>Automatic (from the number of climate layers)</source>
        <translation>自动（按气候图层数判断）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="26"/>
        <source>Monthly (sum of 12 monthly Rh; calibrated use)</source>
        <translation>月尺度（12 个月 Rh 之和；模型标定方式）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="27"/>
        <source>Annual (annual mean T and total P)</source>
        <translation>年尺度（年均气温与年降水量）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="31"/>
        <source>NPP stack</source>
        <translation>NPP 栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="32"/>
        <source>Temperature stack</source>
        <translation>气温栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="33"/>
        <source>Precipitation stack</source>
        <translation>降水栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="38"/>
        <source>Rh mode: {}</source>
        <translation>Rh 计算方式：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="43"/>
        <source>Net ecosystem production (NEP = NPP - Rh)</source>
        <translation>净生态系统生产力（NEP = NPP - Rh）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="44"/>
        <source>Annual NPP stack</source>
        <translation>逐年 NPP 栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="45"/>
        <source>Air temperature stack (deg C; 12 layers per year, or one per year)</source>
        <translation>气温栅格序列（°C；每年 12 层，或每年 1 层）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="47"/>
        <source>Precipitation stack (mm; 12 layers per year, or one per year)</source>
        <translation>降水栅格序列（mm；每年 12 层，或每年 1 层）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="49"/>
        <source>Rh mode</source>
        <translation>Rh 计算方式</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="50"/>
        <source>Temperature coefficient b of the Rh model</source>
        <translation>Rh 模型的温度系数 b</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="52"/>
        <source>NPP</source>
        <translation>NPP</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="53"/>
        <source>NEP (g C m-2 yr-1, one band per year)</source>
        <translation>NEP（g C m-2 yr-1，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="55"/>
        <source>Heterotrophic respiration Rh (g C m-2 yr-1)</source>
        <translation>土壤异养呼吸 Rh（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="57"/>
        <source>Sink / source class of the mean NEP</source>
        <translation>平均 NEP 的碳汇 / 碳源分类</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="78"/>
        <source>Carbon sink carrying capacity and potential</source>
        <translation>碳汇承载力与碳汇潜力</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="79"/>
        <source>Annual NPP stack (g C m-2 yr-1)</source>
        <translation>逐年 NPP 栅格序列（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="81"/>
        <source>Year for potential and saturation (empty = last year)</source>
        <translation>计算碳汇潜力与饱和度的年份（留空 = 最后一年）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="83"/>
        <source>Potential and saturation for every year (one band per year)</source>
        <translation>逐年计算碳汇潜力与饱和度（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="87"/>
        <source>Carrying capacity CSCC (g C m-2 yr-1)</source>
        <translation>碳汇承载力 CSCC（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="89"/>
        <source>Peak year</source>
        <translation>峰值年份</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="90"/>
        <source>Potential CSCC - NPP (g C m-2 yr-1)</source>
        <translation>碳汇潜力 CSCC - NPP（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/carbon.py" line="92"/>
        <source>Saturation NPP / CSCC (%)</source>
        <translation>饱和度 NPP / CSCC（%）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="135"/>
        <source>Zones (polygons; empty = the whole grid)</source>
        <translation>分区（面图层；留空 = 整个格网）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="136"/>
        <source>Zone name field</source>
        <translation>分区名称字段</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="143"/>
        <source>Minimum number of valid years per pixel (0 = all years)</source>
        <translation>每个像元的最少有效年数（0 = 全部年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="149"/>
        <source>Year of the first layer</source>
        <translation>第一个图层的年份</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="150"/>
        <source>Years of the layers, comma separated (overrides the first year; use it for gaps, e.g. 2000,2001,2003)</source>
        <translation>各图层的年份，逗号分隔（优先于第一年参数；用于有缺年的序列，如 2000,2001,2003）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="163"/>
        <source>{}: scale factor applied to stored values</source>
        <translation>{}：存储值的缩放系数</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="164"/>
        <source>{}: offset added after scaling</source>
        <translation>{}：缩放后加上的偏移量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="165"/>
        <source>{}: smallest valid stored value</source>
        <translation>{}：最小有效存储值</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="166"/>
        <source>{}: largest valid stored value</source>
        <translation>{}：最大有效存储值</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="176"/>
        <source>Unit of the totals</source>
        <translation>总量单位</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="182"/>
        <source>Input values are area densities of</source>
        <translation>输入值为以下量的面密度</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="183"/>
        <source>carbon (g C m-2, per year for fluxes)</source>
        <translation>碳（g C m-2，通量为每年）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="184"/>
        <source>CO2 (g CO2 m-2, per year for fluxes)</source>
        <translation>CO2（g CO2 m-2，通量为每年）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="265"/>
        <source>layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="267"/>
        <source>ECS total</source>
        <translation>ECS 总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="267"/>
        <source>NEP total</source>
        <translation>NEP 总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="267"/>
        <source>RCS total</source>
        <translation>RCS 总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="268"/>
        <source>CE total</source>
        <translation>CE 总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="268"/>
        <source>CNC total</source>
        <translation>CNC 总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="269"/>
        <source>lithology</source>
        <translation>岩性</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="269"/>
        <source>lithology code</source>
        <translation>岩性代码</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="270"/>
        <source>coefficient a</source>
        <translation>系数 a</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="270"/>
        <source>unit of a</source>
        <translation>a 的单位</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="271"/>
        <source>runoff, area-weighted mean (mm yr-1)</source>
        <translation>径流量面积加权均值（mm yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="272"/>
        <source>RCS total (mean of the layers)</source>
        <translation>RCS 总量（各图层均值）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="272"/>
        <source>source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="273"/>
        <source>class area (km2)</source>
        <translation>类别面积（km2）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="273"/>
        <source>measure</source>
        <translation>措施</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="274"/>
        <source>treated area (km2)</source>
        <translation>实施面积（km2）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="274"/>
        <source>treated share (%)</source>
        <translation>实施比例（%）</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="275"/>
        <source>added sink</source>
        <translation>新增碳汇</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="275"/>
        <source>rate</source>
        <translation>速率</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="275"/>
        <source>rate unit</source>
        <translation>速率单位</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="276"/>
        <source>mean annual total</source>
        <translation>年均总量</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="277"/>
        <source>SD across products</source>
        <translation>产品间标准差</translation>
    </message>
    <message>
        <location filename="../core/runs/declare.py" line="277"/>
        <source>SD across years</source>
        <translation>年际标准差</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="45"/>
        <source>unit factors must be numbers separated by commas, not '{}'</source>
        <translation>单位换算系数必须是以逗号分隔的数字，而不是“{}”</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="48"/>
        <source>{} unit factors for {} products</source>
        <translation>给出了 {} 个单位换算系数，但有 {} 个产品</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="60"/>
        <source>an ensemble needs at least two products</source>
        <translation>集合分析至少需要两个产品</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="66"/>
        <source>Reference grid</source>
        <translation>参考格网</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="79"/>
        <source>Target grid: {} x {} cells, geotransform {}</source>
        <translation>目标格网：{} × {} 个像元，地理变换参数 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="82"/>
        <source>Product m{}: {}</source>
        <translation>产品 m{}：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="87"/>
        <source>{}: {:.6g} +- {:.4g} (years) +- {:.4g} (products) {} per year</source>
        <translation>{}：{:.6g} ± {:.4g}（年际）± {:.4g}（产品间）{}/年</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="104"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="109"/>
        <source>Annual totals per zone</source>
        <translation>各分区年总量</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="117"/>
        <source>ensemble mean</source>
        <translation>集合平均</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="118"/>
        <source>Annual total, {} ({})</source>
        <translation>年总量，{}（{}）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="127"/>
        <source>Mean seasonal cycle per zone ({} per month)</source>
        <translation>各分区平均季节循环（{}/月）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="129"/>
        <source>month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="135"/>
        <source>Latitude band x time: area-weighted mean of the ensemble (flux units)</source>
        <translation>纬度带 × 时间：集合的面积加权均值（通量单位）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="137"/>
        <source>Ensemble of flux products</source>
        <translation>通量产品集合</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="141"/>
        <source>Ensemble of flux products on different grids (mean, SD, sign agreement)</source>
        <translation>不同格网通量产品的集合分析（均值、标准差、符号一致性）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="144"/>
        <source>Flux products (one raster or NetCDF variable each, one band per time step; g C m-2 per time step)</source>
        <translation>通量产品（每个产品一个栅格或 NetCDF 变量，每个时间步一个波段；单位 g C m-2/时间步）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="146"/>
        <source>More products as GDAL names, one per line or separated by ';' (e.g. NETCDF:"file.nc":nep)</source>
        <translation>更多产品的 GDAL 数据源名称，每行一个或以“;”分隔（如 NETCDF:"file.nc":nep）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="148"/>
        <source>Target grid: the grid of this raster</source>
        <translation>目标格网：采用此栅格的格网</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="149"/>
        <source>Target grid: cell size over the common extent, in the CRS units of the first product (0 = the first product's grid)</source>
        <translation>目标格网：公共范围上的像元大小，以第一个产品的坐标系单位表示（0 = 第一个产品的格网）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="152"/>
        <source>Time step of the bands</source>
        <translation>波段的时间步长</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="153"/>
        <source>months</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="154"/>
        <source>Year of the first band (months: January of that year)</source>
        <translation>第一个波段的年份（月数据：该年 1 月）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="156"/>
        <source>Minimum number of valid products per pixel (0 = all)</source>
        <translation>每个像元的最少有效产品数（0 = 全部）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="158"/>
        <source>Latitude band width for the zonal-mean table (degrees; 0 = none)</source>
        <translation>纬度带均值表的纬度带宽度（度；0 = 不输出）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="160"/>
        <source>Least valid share of a target cell (0-1)</source>
        <translation>目标格网单元的最小有效比例（0-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="162"/>
        <source>Unit factor per product, comma separated (e.g. 1,1,1000; applied after the file's own scale/offset)</source>
        <translation>各产品的单位换算系数，逗号分隔（如 1,1,1000；在文件自身的缩放/偏移之后应用）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="167"/>
        <source>Ensemble mean</source>
        <translation>集合平均</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="168"/>
        <source>Ensemble standard deviation</source>
        <translation>集合标准差</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="169"/>
        <source>Sign agreement (% of products with the sign of the mean)</source>
        <translation>符号一致性（与均值同号的产品百分比）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="171"/>
        <source>Coverage: share of each cell covered by valid source cells, mean of the products (0-1)</source>
        <translation>覆盖度：每个格元被有效源格元覆盖的比例，各产品的均值（0-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="174"/>
        <source>Totals per zone and time step (members, mean, SD)</source>
        <translation>各分区各时间步的总量（成员、均值、标准差）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="175"/>
        <source>Annual totals per zone (+- SD across years and products)</source>
        <translation>各分区年总量（± 年际与产品间标准差）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="177"/>
        <source>Mean seasonal cycle per zone (monthly inputs)</source>
        <translation>各分区平均季节循环（月输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="179"/>
        <source>Latitude band x time means</source>
        <translation>纬度带 × 时间均值</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="192"/>
        <source>give a reference raster or a cell size for the target grid</source>
        <translation>请为目标格网提供参考栅格或像元大小</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="211"/>
        <source>Target grid: {} x {} cells</source>
        <translation>目标格网：{} × {} 个像元</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="216"/>
        <source>Regrid: conservative average for fluxes, majority for classes</source>
        <translation>格网重采样：通量用守恒平均，类别用面积众数</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="218"/>
        <source>Raster to regrid (all bands)</source>
        <translation>要重采样到新格网的栅格（全部波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="219"/>
        <source>The values are</source>
        <translation>数值类型</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="220"/>
        <source>fluxes or densities (area-weighted, conservative average)</source>
        <translation>通量或密度（面积加权守恒平均）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="221"/>
        <source>classes (majority by area)</source>
        <translation>类别（按面积取众数）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="223"/>
        <source>Target grid: cell size aligned to its multiples over the input's extent (CRS units; used without a reference)</source>
        <translation>目标格网：像元大小，格网按其整数倍对齐并覆盖输入范围（坐标系单位；无参考栅格时使用）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="226"/>
        <source>Fluxes: least valid share of a target cell (0-1)</source>
        <translation>通量：目标格网单元的最小有效比例（0-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="228"/>
        <source>Regridded raster</source>
        <translation>重采样后的栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/ensemble.py" line="229"/>
        <source>Fluxes: coverage, the share of each target cell covered by valid input cells (0-1)</source>
        <translation>通量：覆盖度，每个目标格元被有效输入格元覆盖的比例（0-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="28"/>
        <source>Composites</source>
        <translation>合成数据</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="43"/>
        <source>{} years written: {}..{}</source>
        <translation>已写出 {} 年：{}..{}</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="48"/>
        <source>Composites to annual values (8-day, 16-day, monthly)</source>
        <translation>合成数据转年值（8 天、16 天、月）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="49"/>
        <source>Temporal statistics</source>
        <translation>时序统计</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="50"/>
        <source>Composites in time order (layers or one multiband raster)</source>
        <translation>按时间顺序的合成数据（多个图层或一个多波段栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="51"/>
        <source>Composites per year (8-day: 46, 16-day: 23, monthly: 12)</source>
        <translation>每年期数（8 天：46，16 天：23，月：12）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="53"/>
        <source>Year of the first composite</source>
        <translation>第一期所在年份</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="54"/>
        <source>Annual value</source>
        <translation>年值</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="55"/>
        <source>Sum of the composites (composites hold totals)</source>
        <translation>各期之和（每期为总量）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="56"/>
        <source>Mean of the composites</source>
        <translation>各期均值</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="57"/>
        <source>Sum of value x days covered (daily rates or monthly means to annual totals)</source>
        <translation>数值 x 覆盖天数之和（日速率或月均值转年总量）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="59"/>
        <source>Year window: first year (empty: all years)</source>
        <translation>年份窗口：起始年（留空：全部年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="61"/>
        <source>Year window: last year (empty: all years)</source>
        <translation>年份窗口：结束年（留空：全部年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="62"/>
        <source>Year window FIRST-LAST (e.g. 2015-2019)</source>
        <translation>年份窗口 起始-结束（如 2015-2019）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="65"/>
        <source>Annual raster (one band per year)</source>
        <translation>年值栅格（每年一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="70"/>
        <source>The table below (CSV: from, to, name)</source>
        <translation>下方的表（CSV：from, to, name）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="71"/>
        <source>Shipped: MODIS IGBP (17 classes) to 7 classes</source>
        <translation>内置：MODIS IGBP（17 类）到 7 类</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="72"/>
        <source>Shipped: CNLUCC level 2 to level 1 (6 classes)</source>
        <translation>内置：CNLUCC 二级类到一级类（6 类）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="77"/>
        <source>Class raster</source>
        <translation>类别栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="81"/>
        <source>a reclassification table was given: it is used instead of the shipped one</source>
        <translation>已提供重分类表：将使用该表，而非内置表</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="85"/>
        <source>give a reclassification table, or choose a shipped one</source>
        <translation>请给出重分类表，或选择内置表</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="92"/>
        <source>{} pixels have a code the table does not list: they are nodata</source>
        <translation>{} 个像元的代码不在表中：已设为无数据</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="99"/>
        <source>Reclassify a class raster by a table (IGBP, CNLUCC, your own)</source>
        <translation>按表重分类类别栅格（IGBP、CNLUCC 或自定义）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="101"/>
        <source>Class raster (land cover; all bands are reclassified)</source>
        <translation>类别栅格（土地覆被；所有波段都会重分类）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="102"/>
        <source>Reclassification</source>
        <translation>重分类方案</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="104"/>
        <source>Reclassification table: CSV with columns from, to, name</source>
        <translation>重分类表：含 from、to、name 列的 CSV</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="106"/>
        <source>Reclassified raster</source>
        <translation>重分类栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="119"/>
        <source>{} classes: {}</source>
        <translation>{} 个类别：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="125"/>
        <source>Classes by breaks (NEP source / sink levels, any continuous raster)</source>
        <translation>按断点分类（NEP 碳源 / 碳汇等级，任意连续栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="127"/>
        <source>Continuous raster (all bands are classified)</source>
        <translation>连续栅格（所有波段都会分类）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="128"/>
        <source>Breaks, increasing (Zhang et al. 2025 NEP: 0, 200, 400)</source>
        <translation>断点，递增（Zhang et al. 2025 NEP：0, 200, 400）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="130"/>
        <source>Class names, one more than the breaks (empty: the ranges)</source>
        <translation>类别名称，比断点多一个（留空：使用范围）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="132"/>
        <source>Classes (1 below the first break, ...)</source>
        <translation>类别（1 为低于第一个断点，……）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="139"/>
        <source>Compound growth (constant rate)</source>
        <translation>复合增长（恒定增长率）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="139"/>
        <source>Linear trend</source>
        <translation>线性趋势</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="140"/>
        <source>Multilayer perceptron from drivers (scikit-learn)</source>
        <translation>基于驱动因子的多层感知机（scikit-learn）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="150"/>
        <source>the table has no column '{}' (columns: {})</source>
        <translation>表中没有列“{}”（现有列：{}）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="156"/>
        <source>the table has no driver column '{}'</source>
        <translation>表中没有驱动因子列“{}”</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="168"/>
        <source>{}: {} in {}, hold-out R2 {}</source>
        <translation>{}：{}（{} 年），留出期 R2 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="172"/>
        <source>Carbon neutrality (sinks reach emissions): {}</source>
        <translation>碳中和（碳汇达到碳排放）：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="173"/>
        <source>not by {}</source>
        <translation>{} 年前未实现</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="182"/>
        <source>Scenario projection</source>
        <translation>情景预测</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="187"/>
        <source>Scenario projection of emissions and sinks to a target year</source>
        <translation>碳排放与碳汇到目标年的情景预测</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="189"/>
        <source>Yearly table: CSV with a year column, the series and the drivers</source>
        <translation>逐年表：含年份列、各序列及驱动因子的 CSV</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="190"/>
        <source>Emissions column (CE)</source>
        <translation>碳排放列（CE）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="191"/>
        <source>Sinks column (ECS; empty: no neutrality year)</source>
        <translation>碳汇列（ECS；留空：不计算碳中和年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="192"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="193"/>
        <source>Driver columns for the perceptron (comma separated)</source>
        <translation>多层感知机的驱动因子列（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="194"/>
        <source>Scenario: CSV of driver growth rates (variable, first_year, last_year, rate_pct)</source>
        <translation>情景：驱动因子增长率 CSV（variable, first_year, last_year, rate_pct）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="196"/>
        <source>Target year</source>
        <translation>目标年</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="197"/>
        <source>Years held out for validation (the last ones)</source>
        <translation>用于验证的留出年数（最后几年）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="198"/>
        <source>Bootstrap refits for the 5-95 % band (0: none)</source>
        <translation>5-95 % 区间的自助法重拟合次数（0：不计算）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="200"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="201"/>
        <source>Projections (CSV: series, year, observed, projection, band)</source>
        <translation>预测结果（CSV：序列、年份、观测值、预测值、区间）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="203"/>
        <source>Summary (CSV: validation, target-year value, neutrality year)</source>
        <translation>汇总（CSV：验证、目标年数值、碳中和年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/prepare.py" line="206"/>
        <source>Report with the chart (HTML)</source>
        <translation>含图表的报告（HTML）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="40"/>
        <source>extremely strong</source>
        <translation>极强</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="40"/>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="40"/>
        <source>stronger</source>
        <translation>较强</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="40"/>
        <source>weak</source>
        <translation>弱</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="41"/>
        <source>undetermined</source>
        <translation>未定</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="41"/>
        <source>weaker</source>
        <translation>较弱</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="53"/>
        <source>Decay fit</source>
        <translation>衰减拟合方法</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="54"/>
        <source>Non-linear least squares on the ratios (default)</source>
        <translation>对比例做非线性最小二乘（默认）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="55"/>
        <source>Log-linear least squares (ln q on the years)</source>
        <translation>对数线性最小二乘（ln q 对年份回归）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="56"/>
        <source>Fix lambda = 1 (the curves start at q(t') = 1; default: lambda fitted)</source>
        <translation>固定 lambda = 1（曲线起点 q(t') = 1；默认：拟合 lambda）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="69"/>
        <source>{}: negative trend kept to the last year</source>
        <translation>{}：负趋势保持到最后一年</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="71"/>
        <source>{}: no trend at the reference year</source>
        <translation>{}：参考年份无趋势</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="73"/>
        <source>{}: positive trend kept to the last year</source>
        <translation>{}：正趋势保持到最后一年</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="90"/>
        <source>{}: tau_p {}, tau_n {}, RS {}, level {}</source>
        <translation>{}：tau_p {}，tau_n {}，RS {}，等级 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="104"/>
        <source>Reference year: {} (the middle year of the stack)</source>
        <translation>参考年份：{}（序列的中间年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="112"/>
        <source>{} layers, {} x {} pixels</source>
        <translation>{} 个图层，{} x {} 个像元</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="117"/>
        <source>zones</source>
        <translation>分区数</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="117"/>
        <source>{} zones</source>
        <translation>{} 个分区</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="118"/>
        <source> named by '{}'</source>
        <translation>，按“{}”命名</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="142"/>
        <source>Carbon sink resilience (probability attenuation)</source>
        <translation>碳汇恢复力（概率衰减法）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="143"/>
        <source>Annual NPP stack (one layer per year, or one multiband raster)</source>
        <translation>逐年 NPP 栅格序列（每年一层，或一个多波段栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="147"/>
        <source>Reference year t' (Wu et al. 2023: 2000)</source>
        <translation>参考年份 t'（Wu et al. 2023：2000）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="148"/>
        <source>Zones (polygons; empty = the whole valid area)</source>
        <translation>分区（面图层；留空 = 全部有效区域）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="149"/>
        <source>Zone name field (features with the same name form one zone; empty = one zone per feature)</source>
        <translation>分区名称字段（同名要素合为一个分区；留空 = 每个要素一个分区）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="152"/>
        <source>Rasterise zones with every pixel they touch (default: pixel centres inside)</source>
        <translation>栅格化分区时包含所有接触的像元（默认：像元中心在分区内）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="156"/>
        <source>Resilience table (one row per zone and year)</source>
        <translation>恢复力表（每个分区每年一行）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="157"/>
        <source>Resilience summary (one row per zone)</source>
        <translation>恢复力汇总（每个分区一行）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="159"/>
        <source>Resilience table as CSV</source>
        <translation>恢复力表（CSV）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="160"/>
        <source>Signed number of years each pixel kept its trend</source>
        <translation>各像元保持其趋势的年数（带符号）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="161"/>
        <source>Resilience report (decay curves and fits)</source>
        <translation>恢复力报告（衰减曲线与拟合）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="178"/>
        <source>{} zones, reference year {}, fit {}</source>
        <translation>{} 个分区，参考年 {}，拟合方法 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="191"/>
        <source>counts table</source>
        <translation>计数表</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="196"/>
        <source>Carbon sink resilience from a counts table (year, N+, N-)</source>
        <translation>由计数表计算碳汇恢复力（年份、N+、N-）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="198"/>
        <source>Counts table: CSV with columns year, n_pos (N+), n_neg (N-) and an optional zone</source>
        <translation>计数表：含 year、n_pos (N+)、n_neg (N-) 列及可选 zone 列的 CSV</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="200"/>
        <source>Reference year t' (empty: the first year of the table)</source>
        <translation>参考年 t'（留空：表中的第一年）</translation>
    </message>
    <message>
        <location filename="../core/runs/resilience.py" line="204"/>
        <source>Resilience summary as CSV (one row per zone)</source>
        <translation>恢复力汇总 CSV（每个分区一行）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="31"/>
        <source>LS slope / yr</source>
        <translation>最小二乘斜率 / 年</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="31"/>
        <source>Sen slope / yr</source>
        <translation>Sen 斜率 / 年</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="31"/>
        <source>Years</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="31"/>
        <source>Zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="32"/>
        <source>Change point</source>
        <translation>突变点</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="32"/>
        <source>Growth / yr (%)</source>
        <translation>年增长率（%）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="32"/>
        <source>Pettitt change point</source>
        <translation>Pettitt 突变点</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="33"/>
        <source>least squares</source>
        <translation>最小二乘</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="35"/>
        <source>Wide: one field per year (2000, NPP2000 ...)</source>
        <translation>宽表：每年一个字段（2000、NPP2000 ……）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="36"/>
        <source>Long: one row per zone and year</source>
        <translation>长表：每个区域每年一行</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="43"/>
        <source>Raster stack</source>
        <translation>栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="49"/>
        <source>give a table of yearly series or a raster stack</source>
        <translation>请给出逐年序列表或栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="52"/>
        <source>the table has no rows</source>
        <translation>表格没有数据行</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="62"/>
        <source>{} zones, years {:g}..{:g}</source>
        <translation>{} 个区域，年份 {:g}..{:g}</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="73"/>
        <source>zone means of a raster stack</source>
        <translation>栅格序列的分区均值</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="75"/>
        <source>Statistics of zone series</source>
        <translation>分区序列统计</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="76"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="86"/>
        <source>the joined output needs the wide layout (one feature per zone): skipped</source>
        <translation>连接输出需要宽表格式（每个分区一个要素）：已跳过</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="101"/>
        <source>Statistics of zone series (trend, growth, Hurst, change point)</source>
        <translation>区域序列统计（趋势、增长、Hurst、突变点）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="103"/>
        <source>Table or layer of yearly series (or a raster stack below)</source>
        <translation>逐年序列的表或图层（或下方的栅格序列）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="106"/>
        <source>Layout</source>
        <translation>表格结构</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="108"/>
        <source>Year field (long layout)</source>
        <translation>年份字段（长表）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="109"/>
        <source>Value field (long layout)</source>
        <translation>数值字段（长表）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="110"/>
        <source>Significance level of the UF/UB band</source>
        <translation>UF/UB 置信带的显著性水平</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="112"/>
        <source>Minimum number of valid years per zone (0 = all years)</source>
        <translation>每个分区的最少有效年数（0 = 全部年份）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="114"/>
        <source>Or: a raster stack (one layer per year) whose zone means are the series</source>
        <translation>或：栅格序列（每年一层），以其分区均值作为序列</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="116"/>
        <source>Raster stack: year of the first layer</source>
        <translation>栅格序列：第一层的年份</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="117"/>
        <source>Raster stack: zones (polygons; empty = the whole valid area)</source>
        <translation>栅格序列：分区（多边形；留空 = 全部有效区域）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="118"/>
        <source>Raster stack: zone name field</source>
        <translation>栅格序列：分区名称字段</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="119"/>
        <source>Unit of the values (for the report, e.g. g C m-2 yr-1)</source>
        <translation>数值的单位（用于报告，如 g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="120"/>
        <source>Statistics per zone</source>
        <translation>各区域统计</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="121"/>
        <source>Input features with the statistics (wide layout)</source>
        <translation>附带统计量的输入要素（宽表格式）</translation>
    </message>
    <message>
        <location filename="../core/runs/series.py" line="123"/>
        <source>Report: one chart per zone (HTML)</source>
        <translation>报告：每个分区一幅图（HTML）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="35"/>
        <source>Spatial statistics</source>
        <translation>空间统计</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="39"/>
        <source>Queen contiguity (shared vertex; rasters: 8 neighbours)</source>
        <translation>后式邻接（queen；共享顶点；栅格：8 邻域）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="40"/>
        <source>Rook contiguity (shared edge; rasters: 4 neighbours)</source>
        <translation>车式邻接（rook；共享边；栅格：4 邻域）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="41"/>
        <source>k nearest neighbours (vector only)</source>
        <translation>K 近邻（仅限矢量）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="42"/>
        <source>Distance band (vector only)</source>
        <translation>距离阈值（仅限矢量）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="43"/>
        <source>Binary (b)</source>
        <translation>二值（b）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="43"/>
        <source>Row-standardised (r)</source>
        <translation>行标准化（r）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="53"/>
        <source>Numeric field of the vector layer</source>
        <translation>矢量图层的数值字段</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="55"/>
        <source>Raster layer (give either this or a vector layer)</source>
        <translation>栅格图层（与矢量图层二选一）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="57"/>
        <source>Band</source>
        <translation>波段</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="58"/>
        <source>Vector layer (give either this or a raster layer)</source>
        <translation>矢量图层（与栅格图层二选一）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="65"/>
        <source>Spatial weights</source>
        <translation>空间权重</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="68"/>
        <source>Number of nearest neighbours (k nearest neighbours)</source>
        <translation>近邻个数（K 近邻）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="70"/>
        <source>Distance band threshold (layer units; distance band)</source>
        <translation>距离阈值（图层单位；用于距离阈值权重）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="73"/>
        <source>Weights transform</source>
        <translation>权重变换</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="80"/>
        <source>Permutations (pseudo p-values)</source>
        <translation>置换次数（伪 p 值）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="83"/>
        <source>Random seed (empty = random)</source>
        <translation>随机种子（留空 = 随机）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="120"/>
        <source>give exactly one input: either a raster layer or a vector layer with a numeric field</source>
        <translation>请只给出一个输入：栅格图层或带数值字段的矢量图层，二者选其一</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="123"/>
        <source>Raster layer</source>
        <translation>栅格图层</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="126"/>
        <source>{} has {} band(s): band {} does not exist</source>
        <translation>{} 有 {} 个波段：波段 {} 不存在</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="131"/>
        <source>choose the numeric field of the vector layer</source>
        <translation>请选择矢量图层的数值字段</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="135"/>
        <source>{} feature(s) with a NULL (or non-numeric) value of '{}' or without geometry are left out</source>
        <translation>{} 个要素的字段“{}”为空值（或非数值）或没有几何，已排除</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="147"/>
        <source>raster input: use queen or rook contiguity (k nearest neighbours and distance bands are for vector layers)</source>
        <translation>栅格输入：请使用后式（queen）或车式（rook）邻接（K 近邻和距离阈值权重仅适用于矢量图层）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="156"/>
        <source>{} contiguity needs polygons; use k nearest neighbours or a distance band for points and lines</source>
        <translation>{} 邻接需要面要素；点和线要素请使用 K 近邻或距离阈值权重</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="158"/>
        <source>Weights: {} contiguity</source>
        <translation>权重：{} 邻接</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="164"/>
        <source>k = {} nearest neighbours needs more than {} features</source>
        <translation>k = {} 个最近邻需要多于 {} 个要素</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="166"/>
        <source>Weights: {} nearest neighbours of the centroids</source>
        <translation>权重：质心的 {} 个最近邻</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="169"/>
        <source>a distance band needs a projected CRS: the layer is in {} (degrees); reproject it first (e.g. to a UTM or equal-area CRS)</source>
        <translation>距离阈值权重需要投影坐标系：该图层的坐标系为 {}（单位为度）；请先重投影（如投影到 UTM 或等积坐标系）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="174"/>
        <source>give the distance band threshold</source>
        <translation>请给出距离阈值</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="176"/>
        <source>the distance band threshold must be positive</source>
        <translation>距离阈值必须为正数</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="177"/>
        <source>Weights: distance band {:g} between centroids</source>
        <translation>权重：质心间距离阈值 {:g}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="195"/>
        <source>feature ids</source>
        <translation>要素 ID</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="198"/>
        <source>pixels</source>
        <translation>像元</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="199"/>
        <source> and {} more</source>
        <translation> 等另外 {} 个</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="200"/>
        <source>{} island(s) without neighbours left out, {}: {}{}</source>
        <translation>已剔除 {} 个岛（无邻居单元），{}：{}{}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="214"/>
        <source>No raster output was chosen: the {} raster is written to a temporary file</source>
        <translation>未选择栅格输出：{} 栅格写入临时文件</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="242"/>
        <source>Moran's I = {:.6g}, E[I] = {:.6g}; normality: Var = {:.6g}, z = {:.4f}, p = {:.4g}; randomisation: Var = {:.6g}, z = {:.4f}, p = {:.4g}</source>
        <translation>莫兰指数 I = {:.6g}，E[I] = {:.6g}；正态假设：Var = {:.6g}，z = {:.4f}，p = {:.4g}；随机化假设：Var = {:.6g}，z = {:.4f}，p = {:.4g}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="247"/>
        <source>Permutations: {}, seed {}, pseudo p = {:.4g}</source>
        <translation>置换次数：{}，随机种子 {}，伪 p = {:.4g}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="249"/>
        <source>n = {} units, {} island(s), transform {}</source>
        <translation>n = {} 个单元，{} 个岛（无邻居单元），权重变换 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="254"/>
        <source>Global Moran's I (spatial autocorrelation)</source>
        <translation>全局莫兰指数（空间自相关）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="256"/>
        <source>Moran's I (table)</source>
        <translation>莫兰指数（表）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="277"/>
        <source>n = {} pixels, {} permutations, seed {}{}</source>
        <translation>n = {} 个像元，置换 {} 次，随机种子 {}{}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="279"/>
        <source>; pool sampled (large raster)</source>
        <translation>；置换池为抽样（大栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="290"/>
        <source>vector input: choose the LISA vector output</source>
        <translation>矢量输入：请选择 LISA 矢量输出</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="292"/>
        <source>n = {}, {} permutations, seed {}; clusters at alpha {}{}: {}</source>
        <translation>n = {}，置换 {} 次，随机种子 {}；alpha {}{} 下的聚类：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="299"/>
        <source>Local Moran's I (LISA clusters)</source>
        <translation>局部莫兰指数（LISA 聚类）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="301"/>
        <source>Significance level of the cluster map</source>
        <translation>聚类图的显著性水平</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="303"/>
        <source>Benjamini-Hochberg false discovery rate correction of the pseudo p-values</source>
        <translation>对伪 p 值做 Benjamini-Hochberg 错误发现率（FDR）校正</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="305"/>
        <source>LISA (vector input: copy with lisa_I, lisa_q, lisa_p, lisa_cluster)</source>
        <translation>LISA（矢量输入：附加 lisa_I、lisa_q、lisa_p、lisa_cluster 字段的副本）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="307"/>
        <source>Local I (raster input)</source>
        <translation>局部莫兰指数 I（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="308"/>
        <source>Quadrant 1 HH, 2 LH, 3 LL, 4 HL (raster input)</source>
        <translation>象限 1 HH、2 LH、3 LL、4 HL（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="310"/>
        <source>Pseudo p-value (raster input)</source>
        <translation>伪 p 值（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="311"/>
        <source>Cluster map (raster input)</source>
        <translation>聚类图（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="332"/>
        <source>n = {} pixels, mean {:.6g}, sd {:.6g}</source>
        <translation>n = {} 个像元，均值 {:.6g}，标准差 {:.6g}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="336"/>
        <source>Gi* uses binary weights with each unit its own neighbour</source>
        <translation>Gi* 使用二值权重，且每个单元以自身为邻居</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="344"/>
        <source>vector input: choose the hot spot vector output</source>
        <translation>矢量输入：请选择冷热点矢量输出</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="345"/>
        <source>n = {}; classes: {}</source>
        <translation>n = {}；分级：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="352"/>
        <source>Hot and cold spots (Getis-Ord Gi*)</source>
        <translation>冷热点分析（Getis-Ord Gi*）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="354"/>
        <source>Classes from Benjamini-Hochberg FDR q-values instead of p</source>
        <translation>用 Benjamini-Hochberg FDR q 值代替 p 值分级</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="355"/>
        <source>Hot spots (vector input: copy with gi_z, gi_p, gi_class)</source>
        <translation>冷热点（矢量输入：附加 gi_z、gi_p、gi_class 字段的副本）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="356"/>
        <source>Gi* z-score (raster input)</source>
        <translation>Gi* z 得分（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="357"/>
        <source>Gi* p-value (raster input)</source>
        <translation>Gi* p 值（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="358"/>
        <source>Hot and cold spot classes (raster input)</source>
        <translation>冷热点分级（栅格输入）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="371"/>
        <source>give exactly one input: either a raster layer (with optional zone polygons) or a vector layer with a numeric field</source>
        <translation>请只给出一个输入：栅格图层（可附分区面图层）或带数值字段的矢量图层，二者选其一</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="379"/>
        <source>all features</source>
        <translation>全部要素</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="387"/>
        <source>the Gini needs every valid pixel value of every zone in memory (8 bytes per pixel): more than the memory setting of {} MB. Raise it in the CarbonSink provider settings, or use coarser data or smaller zones</source>
        <translation>计算基尼系数需要将每个分区的全部有效像元值载入内存（每个像元 8 字节）：超过了 {} MB 的内存设置。请在 CarbonSink 提供程序设置中调高该值，或使用分辨率更粗的数据或更小的分区</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="396"/>
        <source>{} valid pixel values collected ({:.1f} MB)</source>
        <translation>已收集 {} 个有效像元值（{:.1f} MB）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="409"/>
        <source>no valid value</source>
        <translation>无有效值</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="415"/>
        <source>zone {}: {}</source>
        <translation>分区 {}：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="425"/>
        <source>{}: n = {}, Gini = {} {}</source>
        <translation>{}：n = {}，基尼系数 = {} {}</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="432"/>
        <source>Gini coefficient per zone</source>
        <translation>各分区基尼系数</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="433"/>
        <source>Numeric field of the vector layer (the units' values)</source>
        <translation>矢量图层的数值字段（各单元的值）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="434"/>
        <source>Zones for a raster input (polygons; empty = all valid pixels)</source>
        <translation>栅格输入的分区（面图层；留空 = 全部有效像元）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="435"/>
        <source>Zone field of the vector layer (empty = one zone)</source>
        <translation>矢量图层的分区字段（留空 = 一个分区）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="437"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="438"/>
        <source>Standard (non-negative values)</source>
        <translation>标准（非负值）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="439"/>
        <source>Raffinetti-Siletti-Vernizzi normalised (negative values allowed)</source>
        <translation>Raffinetti-Siletti-Vernizzi 归一化（允许负值）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="441"/>
        <source>Segmented: deficit / neutral / surplus (Zhang2022)</source>
        <translation>分段：赤字 / 中性 / 盈余（Zhang2022）</translation>
    </message>
    <message>
        <location filename="../core/runs/spatial.py" line="442"/>
        <source>Gini per zone (table)</source>
        <translation>各分区基尼系数（表）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="53"/>
        <source>Input stack</source>
        <translation>输入栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="56"/>
        <source>at least 4 years are needed</source>
        <translation>至少需要 4 年数据</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="67"/>
        <source>zone {}: {} years with valid pixels, at least 4 needed; skipped</source>
        <translation>分区 {}：只有 {} 年有有效像元，至少需要 4 年；已跳过</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="86"/>
        <source>{}: UF/UB cross in {}; inside the band: {}; Pettitt change point {:g} (p = {:.4g})</source>
        <translation>{}：UF/UB 交于 {}；置信带内：{}；Pettitt 突变点 {:g}（p = {:.4g}）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="94"/>
        <source>Abrupt change: sequential Mann-Kendall and Pettitt</source>
        <translation>突变检验：序贯 Mann-Kendall 与 Pettitt</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="105"/>
        <source>zone mean</source>
        <translation>分区均值</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="108"/>
        <source>UF/UB crossings</source>
        <translation>UF/UB 交点</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="109"/>
        <source>crossings inside the band (change starts)</source>
        <translation>置信带内的交点（突变开始）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="110"/>
        <source>Pettitt change point (last year before the change)</source>
        <translation>Pettitt 突变点（突变前的最后一年）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="111"/>
        <source>Pettitt p</source>
        <translation>Pettitt p 值</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="113"/>
        <source>statistic</source>
        <translation>统计量</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="113"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="117"/>
        <source>Abrupt change of zone means (sequential Mann-Kendall, Pettitt)</source>
        <translation>分区均值突变检验（序贯 Mann-Kendall、Pettitt）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="119"/>
        <source>Annual raster stack (one layer per year, or one multiband raster)</source>
        <translation>逐年栅格序列（每年一层，或一个多波段栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="126"/>
        <source>Zone mean series with UF and UB</source>
        <translation>分区均值序列及 UF、UB</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="127"/>
        <source>Change points per zone</source>
        <translation>各分区突变点</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="128"/>
        <source>Report (HTML chart of UF/UB)</source>
        <translation>报告（UF/UB 曲线 HTML 图）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="147"/>
        <source>breaks must be numbers separated by commas</source>
        <translation>分级界值必须是以逗号分隔的数字</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="149"/>
        <source>give 4 breaks for 5 classes, not {}</source>
        <translation>5 个等级需要 4 个界值，而不是 {} 个</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="155"/>
        <source>Class bounds: {}</source>
        <translation>分级界值：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="160"/>
        <source>Stability: coefficient of variation (CV) and classes</source>
        <translation>稳定性：变异系数（CV）及分级</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="162"/>
        <source>Population (ddof = 0)</source>
        <translation>总体（ddof = 0）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="162"/>
        <source>Standard deviation</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="163"/>
        <source>Sample (ddof = 1)</source>
        <translation>样本（ddof = 1）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="164"/>
        <source>User class breaks: 4 increasing CV values (empty = natural breaks, Fisher-Jenks)</source>
        <translation>自定义分级界值：4 个递增的 CV 值（留空 = Fisher-Jenks 自然断点法）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="166"/>
        <source>Natural breaks: sample size of CV values (exact on the sample)</source>
        <translation>自然断点法：CV 值的抽样数（在样本上精确计算）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="168"/>
        <source>Random seed of the sample</source>
        <translation>抽样随机种子</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="169"/>
        <source>Coefficient of variation</source>
        <translation>变异系数</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="170"/>
        <source>Fluctuation classes (1 low .. 5 high)</source>
        <translation>波动等级（1 低 .. 5 高）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="178"/>
        <source>R/S on growing windows (rs, pixel-wise studies)</source>
        <translation>递增窗口 R/S 分析（rs，逐像元研究常用）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="179"/>
        <source>Classical R/S on segments (rs_segmented)</source>
        <translation>经典分段 R/S 分析（rs_segmented）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="180"/>
        <source>Aggregated variance (aggvar)</source>
        <translation>聚合方差法（aggvar）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="185"/>
        <source>Slope raster</source>
        <translation>斜率栅格</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="187"/>
        <source>the slope raster must have one band</source>
        <translation>斜率栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="195"/>
        <source>Persistence: Hurst exponent and future trend</source>
        <translation>持续性：Hurst 指数与未来趋势</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="197"/>
        <source>Estimator</source>
        <translation>估计方法</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="198"/>
        <source>Trend slope raster for the persistence classes (empty = Sen slope computed in the same pass)</source>
        <translation>用于持续性分级的趋势斜率栅格（留空 = 同时计算 Sen 斜率）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="201"/>
        <source>Persistence: only trends with Mann-Kendall p &lt; 0.05</source>
        <translation>持续性：仅考虑 Mann-Kendall p &lt; 0.05 的趋势</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="203"/>
        <source>Hurst exponent H</source>
        <translation>Hurst 指数 H</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="204"/>
        <source>Persistence classes</source>
        <translation>持续性分级</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="217"/>
        <source>Target stack</source>
        <translation>目标栅格序列</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="225"/>
        <source>{} driver names for {} driver stacks</source>
        <translation>{} 个驱动因子名称对应 {} 个驱动因子序列</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="231"/>
        <source>{}: controlling for {}</source>
        <translation>{}：控制变量为 {}</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="232"/>
        <source>nothing (simple r)</source>
        <translation>无（简单相关系数 r）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="239"/>
        <source>Partial correlation with climate drivers</source>
        <translation>与气候因子的偏相关分析</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="240"/>
        <source>Target stack (e.g. annual NPP or NEP; one layer per year, or one multiband raster)</source>
        <translation>目标栅格序列（如逐年 NPP 或 NEP；每年一层，或一个多波段栅格）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="242"/>
        <source>Driver stacks: one multiband raster per driver (temperature, precipitation, radiation...), one band per year</source>
        <translation>驱动因子序列：每个驱动因子（气温、降水、辐射……）一个多波段栅格，每年一个波段</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="245"/>
        <source>Significance level alpha</source>
        <translation>显著性水平 alpha</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="246"/>
        <source>Names of the drivers, comma separated, in the order of the driver stacks (empty = layer names)</source>
        <translation>驱动因子名称，逗号分隔，按驱动因子序列的顺序（留空 = 图层名称）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="249"/>
        <source>Partial correlation r (one band per driver)</source>
        <translation>偏相关系数 r（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="251"/>
        <source>p-value (one band per driver)</source>
        <translation>p 值（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/temporal.py" line="252"/>
        <source>Correlation classes (one band per driver)</source>
        <translation>相关性分级（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="23"/>
        <source>Trends</source>
        <translation>趋势分析</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="37"/>
        <source>{} layers, years {:g}..{:g}</source>
        <translation>{} 个图层，年份 {:g}..{:g}</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="56"/>
        <source>Least-squares trend (slope, r2, p, classes)</source>
        <translation>最小二乘线性趋势（斜率、r2、p、分级）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="59"/>
        <source>Also mark extremely significant trends (p &lt; 0.01)</source>
        <translation>同时标出极显著趋势（p &lt; 0.01）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="60"/>
        <source>Slope (units per year)</source>
        <translation>斜率（单位/年）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="61"/>
        <source>Intercept (value at year 0)</source>
        <translation>截距（第 0 年的值）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="63"/>
        <source>Coefficient of determination r2</source>
        <translation>决定系数 r2</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="64"/>
        <source>p-value (two-sided t test)</source>
        <translation>p 值（双侧 t 检验）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="65"/>
        <source>Trend classes</source>
        <translation>趋势分级</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="66"/>
        <source>FDR q-value (Benjamini-Hochberg over all valid pixels)</source>
        <translation>FDR q 值（对全部有效像元做 Benjamini-Hochberg 校正）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="68"/>
        <source>Trend classes at the FDR level</source>
        <translation>FDR 水平下的趋势分级</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="78"/>
        <source>Original Mann-Kendall</source>
        <translation>原始 Mann-Kendall 检验</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="79"/>
        <source>Hamed-Rao variance correction (1998)</source>
        <translation>Hamed-Rao 方差校正（1998）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="80"/>
        <source>Yue-Wang variance correction (2004)</source>
        <translation>Yue-Wang 方差校正（2004）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="81"/>
        <source>Pre-whitening (Yue and Wang 2002)</source>
        <translation>预白化（Yue and Wang 2002）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="89"/>
        <source>Test: {}</source>
        <translation>检验方法：{}</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="96"/>
        <source>Theil-Sen slope and Mann-Kendall test</source>
        <translation>Theil-Sen 斜率与 Mann-Kendall 检验</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="98"/>
        <source>Test (serial correlation)</source>
        <translation>检验方法（序列自相关）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="99"/>
        <source>Sen slope (units per year)</source>
        <translation>Sen 斜率（单位/年）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="100"/>
        <source>Mann-Kendall Z</source>
        <translation>Mann-Kendall Z 值</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="101"/>
        <source>p-value (two-sided)</source>
        <translation>p 值（双侧）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="102"/>
        <source>Kendall tau</source>
        <translation>Kendall tau 系数</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="103"/>
        <source>Trend classes (-4..4)</source>
        <translation>趋势分级（-4..4）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="106"/>
        <source>Trend classes at the FDR level (-4..4)</source>
        <translation>FDR 水平下的趋势分级（-4..4）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="108"/>
        <source>Sen intercept (median of the values - slope x median year)</source>
        <translation>Sen 截距（数值中位数 - 斜率 × 年份中位数）</translation>
    </message>
    <message>
        <location filename="../core/runs/trends.py" line="110"/>
        <source>Mann-Kendall S</source>
        <translation>Mann-Kendall S 统计量</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="72"/>
        <source>compound growth needs positive values (ln y): use the linear model</source>
        <translation>复合增长模型需要正值（ln y）：请使用线性模型</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="127"/>
        <source>model must be one of {}, not {!r}</source>
        <translation>模型必须是 {} 之一，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="132"/>
        <source>{}: {} observed years; a projection needs 4</source>
        <translation>{}：只有 {} 个观测年份；预测需要 4 个</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="134"/>
        <source>the target year {} is not after the last observed year {:g}</source>
        <translation>目标年份 {} 不晚于最后一个观测年份 {:g}</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="138"/>
        <source>{}: a hold-out of {} years leaves fewer than 3 to fit</source>
        <translation>{}：留出 {} 年用于验证后，用于拟合的年份少于 3 个</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="143"/>
        <source>the multilayer perceptron needs at least one driver</source>
        <translation>多层感知机至少需要一个驱动因子</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="147"/>
        <source>drivers must have a value in every observed year</source>
        <translation>驱动因子在每个观测年份都必须有值</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="250"/>
        <source>scenario table row {}: columns variable, first_year, last_year, rate_pct (percent per year)</source>
        <translation>情景表第 {} 行：应有列 variable、first_year、last_year、rate_pct（每年百分比）</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="266"/>
        <source>the {} needs a year column (header: {})</source>
        <translation>{} 需要年份列（表头：{}）</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="274"/>
        <source>the {}: the years must be numbers</source>
        <translation>{}：年份必须是数字</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="286"/>
        <source>the {}: column {!r} has {!r}, not a number</source>
        <translation>{}：列 {!r} 的值 {!r} 不是数字</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="292"/>
        <source>compound growth</source>
        <translation>复合增长</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="292"/>
        <source>linear trend</source>
        <translation>线性趋势</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="293"/>
        <source>multilayer perceptron</source>
        <translation>多层感知机</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="306"/>
        <source>observed</source>
        <translation>观测值</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="311"/>
        <source>neutrality {:g}</source>
        <translation>碳中和 {:g}</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="313"/>
        <source>Projection</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="316"/>
        <source>R2 (hold-out)</source>
        <translation>R2（验证期）</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="316"/>
        <source>hold-out years</source>
        <translation>验证年数</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="316"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="317"/>
        <source>RMSE (hold-out)</source>
        <translation>RMSE（验证期）</translation>
    </message>
    <message>
        <location filename="../core/scenario.py" line="317"/>
        <source>growth % / yr</source>
        <translation>增长率 %/年</translation>
    </message>
    <message>
        <location filename="../core/series.py" line="117"/>
        <source>the table needs a header and at least one row</source>
        <translation>表需要表头和至少一行数据</translation>
    </message>
    <message>
        <location filename="../core/series.py" line="136"/>
        <source>the table has no zone field (only year fields)</source>
        <translation>表中没有分区字段（只有年份字段）</translation>
    </message>
    <message>
        <location filename="../core/series.py" line="166"/>
        <source>a wide table needs at least 4 year fields (names like 2000 or NPP2000); found {}: {}</source>
        <translation>宽表至少需要 4 个年份字段（名称如 2000 或 NPP2000）；找到 {} 个：{}</translation>
    </message>
    <message>
        <location filename="../core/series.py" line="200"/>
        <source>'{}' is not a number</source>
        <translation>“{}”不是数字</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="41"/>
        <source>rate unit '{}' not understood: use e.g. 't C ha-1 yr-1' or 'g C m-2 yr-1'</source>
        <translation>无法识别速率单位“{}”：请使用如 't C ha-1 yr-1' 或 'g C m-2 yr-1'</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="45"/>
        <source>rate unit '{}' not understood: mass g, kg, t or Mg; C or CO2; area m-2, ha-1 or km-2</source>
        <translation>无法识别速率单位“{}”：质量 g、kg、t 或 Mg；C 或 CO2；面积 m-2、ha-1 或 km-2</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="88"/>
        <source>{} line {} ({}): no land-cover class code</source>
        <translation>{} 第 {} 行（{}）：没有土地覆被类别代码</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="92"/>
        <source>{} line {}: class '{}' is not an integer code</source>
        <translation>{} 第 {} 行：类别“{}”不是整数代码</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="97"/>
        <source>{} line {} ({}): give either share_pct or area_km2</source>
        <translation>{} 第 {} 行（{}）：请给出 share_pct 或 area_km2 之一</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="100"/>
        <source>{} line {} ({}): no rate. Fill it in from a published source (and name it in the source column): CarbonSink does not invent rates</source>
        <translation>{} 第 {} 行（{}）：没有速率。请依据已发表的文献填写（并在 source 列注明）：CarbonSink 不会臆造速率</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="108"/>
        <source>{} line {}: {}</source>
        <translation>{} 第 {} 行：{}</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="112"/>
        <source>{} line {} ({}): need rate_low &lt;= rate &lt;= rate_high</source>
        <translation>{} 第 {} 行（{}）：需要 rate_low &lt;= rate &lt;= rate_high</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="119"/>
        <source>{} line {}: ramp_years must not be negative</source>
        <translation>{} 第 {} 行：ramp_years 不能为负</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="123"/>
        <source>{} line {}: share_pct must be between 0 and 100</source>
        <translation>{} 第 {} 行：share_pct 必须在 0 到 100 之间</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="125"/>
        <source>{} line {}: area_km2 must not be negative</source>
        <translation>{} 第 {} 行：area_km2 不能为负</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="129"/>
        <source>the measure table {} has no measure</source>
        <translation>措施表 {} 中没有任何措施</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="251"/>
        <source>measure '{}': class {} is not in the land-cover raster (no area)</source>
        <translation>措施“{}”：类别 {} 不在土地覆被栅格中（面积为零）</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="261"/>
        <source>measure '{}': {:g} km2 is more than the {:.6g} km2 of class {}</source>
        <translation>措施“{}”：{:g} km2 超过了 {:.6g} km2（类别 {} 的面积）</translation>
    </message>
    <message>
        <location filename="../core/sinkscenario.py" line="269"/>
        <source>the measures treat more than 100 % of class(es) {}: a pixel can be treated once; lower the shares or areas</source>
        <translation>各措施处理了类别 {} 的 100 % 以上：一个像元只能被处理一次；请降低比例或面积</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="161"/>
        <source>transform must be 'r' (row-standardised) or 'b' (binary), not {!r}</source>
        <translation>变换必须是 'r'（行标准化）或 'b'（二值），而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="174"/>
        <source>permutations must be 0 or more, not {}</source>
        <translation>置换次数必须 &gt;= 0，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="176"/>
        <source>permutations must be at most {} (p-values to 1e-5), not {}</source>
        <translation>置换次数最多为 {}（p 值精确到 1e-5），而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="195"/>
        <source>{}: {} values for a {} x {} weights matrix</source>
        <translation>{}：{} 个值对应 {} x {} 的权重矩阵</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="214"/>
        <source>{}: {} unit(s) with a value and a neighbour; at least {} are needed</source>
        <translation>{}：只有 {} 个单元既有值又有邻居；至少需要 {} 个</translation>
    </message>
    <message>
        <location filename="../core/spatial.py" line="217"/>
        <source>{}: all {} units have the same value ({:g}): spatial autocorrelation is undefined for constant values</source>
        <translation>{}：全部 {} 个单元的值相同（{:g}）：常数值的空间自相关无定义</translation>
    </message>
    <message>
        <location filename="../core/spatial_dask.py" line="75"/>
        <source>a 2-D raster is needed, not an array of shape {}</source>
        <translation>需要二维栅格，而不是形状为 {} 的数组</translation>
    </message>
    <message>
        <location filename="../core/spatial_dask.py" line="105"/>
        <source>{}: {} valid pixel(s) with a valid neighbour; at least 3 are needed</source>
        <translation>{}：只有 {} 个有效像元具有有效邻居；至少需要 3 个</translation>
    </message>
    <message>
        <location filename="../core/spatial_dask.py" line="108"/>
        <source>{}: all {} valid pixels have the same value ({:g}): spatial autocorrelation is undefined for constant values</source>
        <translation>{}：全部 {} 个有效像元的值相同（{:g}）：常数值的空间自相关无定义</translation>
    </message>
    <message>
        <location filename="../core/spatial_raster.py" line="258"/>
        <source>permutations for global Moran's I need the whole raster in memory: about {:.0f} MB for {} x {} pixels, more than the {} MB allowed; raise the memory limit or use the randomisation z (z_rand), which is accurate for many pixels</source>
        <translation>全局 Moran's I 的置换检验需要将整个栅格载入内存：约 {:.0f} MB（{} x {} 个像元），超过了允许的 {} MB；请提高内存上限，或使用随机化 z 值（z_rand），像元很多时它已足够准确</translation>
    </message>
    <message>
        <location filename="../core/spatial_raster.py" line="332"/>
        <source>unknown output(s) {}; choose from {}</source>
        <translation>未知的输出 {}；请从 {} 中选择</translation>
    </message>
    <message>
        <location filename="../core/spatial_raster.py" line="393"/>
        <source>p_sim, z_sim and the cluster map need permutations (e.g. 999)</source>
        <translation>p_sim、z_sim 和聚类图需要置换检验（如 999 次）</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="96"/>
        <source>ddof must be &gt;= 0</source>
        <translation>ddof 必须 &gt;= 0</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="221"/>
        <source>k must be between 1 and 127 classes</source>
        <translation>k 必须在 1 到 127 个类别之间</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="224"/>
        <source>sample must be at least k</source>
        <translation>抽样数至少为 k</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="228"/>
        <source>no valid values to classify</source>
        <translation>没有可分类的有效值</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="243"/>
        <source>{} distinct values{} cannot make {} classes</source>
        <translation>{} 个不同的值{}无法分成 {} 类</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="262"/>
        <source>breaks must hold k + 1 bounds, 1 &lt;= k &lt;= 127</source>
        <translation>断点必须包含 k + 1 个界值，1 &lt;= k &lt;= 127</translation>
    </message>
    <message>
        <location filename="../core/stability.py" line="264"/>
        <source>breaks must be finite and increasing</source>
        <translation>断点必须是有限且递增的数值</translation>
    </message>
    <message>
        <location filename="../core/transitions.py" line="168"/>
        <source>the {} land-cover raster must have one band</source>
        <translation>{} 土地覆被栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/transitions.py" line="171"/>
        <source>{} is on another grid: warped onto the grid of {} by majority (mode)</source>
        <translation>{} 位于另一格网：已按众数重采样到 {} 的格网</translation>
    </message>
    <message>
        <location filename="../core/transitions.py" line="177"/>
        <source>the variable raster must have one band</source>
        <translation>变量栅格必须只有一个波段</translation>
    </message>
    <message>
        <location filename="../core/transitions.py" line="180"/>
        <source>{} must be on the grid of {}; it has {}</source>
        <translation>{} 必须与 {} 位于同一格网；它的是 {}</translation>
    </message>
    <message>
        <location filename="../core/transitions.py" line="185"/>
        <source>the land-cover rasters have no valid class pixel</source>
        <translation>土地覆被栅格中没有有效的类别像元</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="47"/>
        <source>contiguity must be 'rook' or 'queen', not {!r}</source>
        <translation>邻接方式必须是 'rook' 或 'queen'，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="67"/>
        <source>weights must be a square scipy.sparse matrix</source>
        <translation>权重必须是 scipy.sparse 方阵</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="70"/>
        <source>weights must be square, not {} x {}</source>
        <translation>权重矩阵必须是方阵，而不是 {} x {}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="73"/>
        <source>weights contain NaN or infinite values</source>
        <translation>权重中含有 NaN 或无穷值</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="122"/>
        <source>coordinates must be an array of shape (n, 2) with n &gt;= 2</source>
        <translation>坐标必须是形状为 (n, 2) 且 n &gt;= 2 的数组</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="124"/>
        <source>coordinates contain NaN or infinite values</source>
        <translation>坐标中含有 NaN 或无穷值</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="144"/>
        <source>k must be between 1 and {} (number of points - 1), not {}</source>
        <translation>k 必须在 1 到 {}（点数 - 1）之间，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="182"/>
        <source>distance threshold must be positive, not {}</source>
        <translation>距离阈值必须为正，而不是 {}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="209"/>
        <source>cannot read a geometry (invalid WKB/WKT)</source>
        <translation>无法读取几何（WKB/WKT 无效）</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="261"/>
        <source>criterion must be 'queen' or 'rook', not {!r}</source>
        <translation>判据必须是 'queen' 或 'rook'，而不是 {!r}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="300"/>
        <source>cannot open vector file {}</source>
        <translation>无法打开矢量文件 {}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="303"/>
        <source>{} has no layer {!r}</source>
        <translation>{} 中没有图层 {!r}</translation>
    </message>
    <message>
        <location filename="../core/weights.py" line="331"/>
        <source>valid mask has shape {}, not {}</source>
        <translation>有效掩膜的形状为 {}，而不是 {}</translation>
    </message>
</context>
<context>
    <name>CarbonSinkModels</name>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Annual NPP (one raster per year in year order, or one multiband raster; g C m-2 yr-1)</source>
        <translation>逐年 NPP（按年份顺序每年一个栅格，或一个多波段栅格；g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Carbon-sink resilience per zone</source>
        <translation>各分区碳汇恢复力</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Carrying capacity -&gt; potential -&gt; resilience -&gt; zonal table (Wu et al. 2023)</source>
        <translation>碳汇承载力 -&gt; 碳汇潜力 -&gt; 恢复力 -&gt; 分区统计表（Wu et al. 2023）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Carrying capacity CSCC (g C m-2 yr-1)</source>
        <translation>碳汇承载力 CSCC（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Carrying capacity CSCC, potential and saturation</source>
        <translation>碳汇承载力 CSCC、碳汇潜力与饱和度</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Minimum number of valid years per pixel (0 = all years)</source>
        <translation>每个像元的最少有效年数（0 = 全部年份）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Peak year</source>
        <translation>峰值年份</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Potential CSCC - NPP (g C m-2 yr-1)</source>
        <translation>碳汇潜力 CSCC - NPP（g C m-2 yr-1）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Reference year t' of the resilience (Wu et al. 2023: 2000)</source>
        <translation>恢复力的参考年份 t'（Wu et al. 2023：2000）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Resilience report (decay curves and fits)</source>
        <translation>恢复力报告（衰减曲线与拟合）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Resilience summary (one row per zone)</source>
        <translation>恢复力汇总（每个分区一行）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Resilience table (one row per zone and year)</source>
        <translation>恢复力表（每个分区每年一行）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Saturation NPP / CSCC (%)</source>
        <translation>饱和度 NPP / CSCC（%）</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Source: Wu et al. (2023). See the help of each CarbonSink algorithm for the formulas.</source>
        <translation>来源：Wu et al. (2023)。公式见各 CarbonSink 算法的帮助。</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>The workflow of Wu et al. (2023) on one run: carbon-sink carrying capacity CSCC (the largest annual NPP of each pixel), the potential CSCC - NPP and the saturation NPP / CSCC of the chosen year; carbon-sink resilience by probability attenuation per zone (decay fits of the share of pixels that keep their trend after the reference year, RS and level); and, when the zonal summary algorithm is installed, a table of the area-weighted totals of CSCC and potential per zone.</source>
        <translation>一次运行 Wu et al. (2023) 的完整流程：碳汇承载力 CSCC（各像元的最大年 NPP）、所选年份的碳汇潜力 CSCC - NPP 与饱和度 NPP / CSCC；按分区以概率衰减法计算碳汇恢复力（对参考年份之后保持趋势的像元比例做衰减拟合，得到 RS 及等级）；若已安装分区统计算法，再输出各分区 CSCC 与碳汇潜力的面积加权总量表。</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Totals of CSCC and potential per zone</source>
        <translation>各分区 CSCC 与碳汇潜力总量</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Workflows</source>
        <translation>工作流程</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Wu et al. (2023): carrying capacity, potential and resilience</source>
        <translation>Wu et al. (2023)：碳汇承载力、碳汇潜力与恢复力</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Year of the first layer</source>
        <translation>第一个图层的年份</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Zone name field</source>
        <translation>分区名称字段</translation>
    </message>
    <message>
        <location filename="../models/wu2023_capacity_resilience.model3" line="1"/>
        <source>Zones (polygons; empty = the whole valid area)</source>
        <translation>分区（面图层；留空 = 全部有效区域）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Air temperature (deg C; 12 bands per year, or one per year)</source>
        <translation>气温（°C；每年 12 个波段，或每年 1 个）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Carbon sink or source (mean NEP)</source>
        <translation>碳汇或碳源（平均 NEP）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Climate drivers for the partial correlation (one multiband raster per driver, one band per year)</source>
        <translation>偏相关分析的气候因子（每个因子一个多波段栅格，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>For example annual mean temperature and annual precipitation.</source>
        <translation>例如年均气温和年降水量。</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Hurst exponent and persistence of NEP</source>
        <translation>NEP 的 Hurst 指数与持续性</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP (g C m-2 yr-1, one band per year)</source>
        <translation>NEP（g C m-2 yr-1，每年一个波段）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP -&gt; Sen/Mann-Kendall trend -&gt; Hurst persistence -&gt; partial correlation with climate (Zhang et al. 2025)</source>
        <translation>NEP -&gt; Sen/Mann-Kendall 趋势 -&gt; Hurst 持续性 -&gt; 与气候因子的偏相关（Zhang et al. 2025）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP Hurst exponent</source>
        <translation>NEP 的 Hurst 指数</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP Mann-Kendall p</source>
        <translation>NEP 的 Mann-Kendall p 值</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP Sen slope (per year)</source>
        <translation>NEP 的 Sen 斜率（每年）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP persistence classes</source>
        <translation>NEP 持续性分级</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NEP trend classes</source>
        <translation>NEP 趋势分级</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>NPP layers in year order.</source>
        <translation>按年份顺序排列的 NPP 图层。</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Net ecosystem productivity NEP = NPP - Rh</source>
        <translation>净生态系统生产力 NEP = NPP - Rh</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Partial correlation classes (one band per driver)</source>
        <translation>偏相关分级（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Partial correlation of NEP with the climate drivers</source>
        <translation>NEP 与气候因子的偏相关</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Partial correlation p (one band per driver)</source>
        <translation>偏相关 p 值（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Partial correlation r (one band per driver)</source>
        <translation>偏相关系数 r（每个驱动因子一个波段）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Precipitation (mm; 12 bands per year, or one per year)</source>
        <translation>降水（mm；每年 12 个波段，或每年 1 个）</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Sen slope and Mann-Kendall test of NEP</source>
        <translation>NEP 的 Sen 斜率与 Mann-Kendall 检验</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Source: Zhang et al. (2025); Pei et al. (2009) for Rh. See the help of each CarbonSink algorithm for the formulas.</source>
        <translation>来源：Zhang et al. (2025)；Rh 采用 Pei et al. (2009)。公式见各 CarbonSink 算法的帮助。</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>The workflow of Zhang et al. (2025) on one run: net ecosystem productivity NEP = NPP - Rh per year (Rh from temperature and precipitation, Pei et al. 2009); the Theil-Sen slope and Mann-Kendall test of NEP with the nine trend classes; the Hurst exponent of NEP and the persistence classes from H and the Sen slope; the partial correlation of NEP with each climate driver, controlling for the others. Every step is a CarbonSink algorithm: open the model in the model designer to change a setting (Rh mode, Mann-Kendall variant, Hurst estimator) or to add outputs.</source>
        <translation>一次运行 Zhang et al. (2025) 的完整流程：逐年净生态系统生产力 NEP = NPP - Rh（Rh 由气温和降水计算，Pei et al. 2009）；NEP 的 Theil-Sen 斜率与 Mann-Kendall 检验及九级趋势分类；NEP 的 Hurst 指数及由 H 与 Sen 斜率得到的持续性分级；NEP 与各气候因子在控制其余因子后的偏相关。每一步都是一个 CarbonSink 算法：在模型设计器中打开模型即可修改设置（Rh 计算方式、Mann-Kendall 检验方法、Hurst 估计方法）或增加输出。</translation>
    </message>
    <message>
        <location filename="../models/zhang2025_nep_trends.model3" line="1"/>
        <source>Zhang et al. (2025): NEP, trend, persistence and climate drivers</source>
        <translation>Zhang et al. (2025)：NEP、趋势、持续性与气候驱动因子</translation>
    </message>
</context>
<context>
    <name>CarbonSinkProvider</name>
    <message>
        <location filename="../provider/provider.py" line="33"/>
        <source>CarbonSink: vegetation carbon-sink analysis</source>
        <translation>CarbonSink：植被碳汇分析</translation>
    </message>
    <message>
        <location filename="../provider/provider.py" line="46"/>
        <source>Threads for numba kernels (0 = all cores)</source>
        <translation>numba 计算核心的线程数（0 = 全部 CPU 核）</translation>
    </message>
    <message>
        <location filename="../provider/provider.py" line="49"/>
        <source>Memory budget per block (MB)</source>
        <translation>每个数据块的内存预算（MB）</translation>
    </message>
    <message>
        <location filename="../provider/provider.py" line="52"/>
        <source>Default number of permutations (spatial statistics)</source>
        <translation>默认置换次数（空间统计）</translation>
    </message>
    <message>
        <location filename="../provider/provider.py" line="57"/>
        <source>numba status (information only)</source>
        <translation>numba 状态（仅供查看）</translation>
    </message>
    <message>
        <location filename="../provider/provider.py" line="59"/>
        <source>The numba status is information only: it shows whether the fast path is in use and cannot be changed here.</source>
        <translation>numba 状态仅供查看：它显示是否使用了快速路径，不能在此修改。</translation>
    </message>
    <message>
        <location filename="../provider/settings.py" line="55"/>
        <source>numba is not installed: numpy path (same results, slower; see the plugin's README)</source>
        <translation>未安装 numba：使用 numpy 路径（结果相同，速度较慢；安装方法见插件 README）</translation>
    </message>
    <message>
        <location filename="../provider/settings.py" line="59"/>
        <source>numba {} is installed but switched off by CARBONSINK_NO_NUMBA: numpy path</source>
        <translation>已安装 numba {}，但已被 CARBONSINK_NO_NUMBA 关闭：使用 numpy 路径</translation>
    </message>
    <message>
        <location filename="../provider/settings.py" line="61"/>
        <source>numba {}: fast path ({} threads)</source>
        <translation>numba {}：快速路径（{} 个线程）</translation>
    </message>
</context>
<context>
    <name>CarbonSinkStyles</name>
    <message>
        <location filename="../core/classes.py" line="16"/>
        <source>Extremely significant increase (|Z| &gt; 2.58)</source>
        <translation>极显著增加（|Z| &gt; 2.58）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="17"/>
        <source>Significant increase (1.96 &lt; |Z| &lt;= 2.58)</source>
        <translation>显著增加（1.96 &lt; |Z| &lt;= 2.58）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="18"/>
        <source>Weakly significant increase (1.64 &lt; |Z| &lt;= 1.96)</source>
        <translation>弱显著增加（1.64 &lt; |Z| &lt;= 1.96）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="19"/>
        <source>Insignificant increase (|Z| &lt;= 1.64)</source>
        <translation>不显著增加（|Z| &lt;= 1.64）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="20"/>
        <source>No change (slope = 0)</source>
        <translation>无变化（斜率 = 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="21"/>
        <source>Insignificant decrease (|Z| &lt;= 1.64)</source>
        <translation>不显著减少（|Z| &lt;= 1.64）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="22"/>
        <source>Weakly significant decrease (1.64 &lt; |Z| &lt;= 1.96)</source>
        <translation>弱显著减少（1.64 &lt; |Z| &lt;= 1.96）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="23"/>
        <source>Significant decrease (1.96 &lt; |Z| &lt;= 2.58)</source>
        <translation>显著减少（1.96 &lt; |Z| &lt;= 2.58）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="24"/>
        <source>Extremely significant decrease (|Z| &gt; 2.58)</source>
        <translation>极显著减少（|Z| &gt; 2.58）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="28"/>
        <source>Extremely significant increase (FDR q &lt; 0.01)</source>
        <translation>极显著增加（FDR q &lt; 0.01）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="29"/>
        <source>Significant increase (q &lt; 0.05)</source>
        <translation>显著增加（q &lt; 0.05）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="30"/>
        <source>Weakly significant increase (q &lt; 0.10)</source>
        <translation>弱显著增加（q &lt; 0.10）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="31"/>
        <source>Insignificant increase (q &gt;= 0.10)</source>
        <translation>不显著增加（q &gt;= 0.10）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="33"/>
        <source>Insignificant decrease (q &gt;= 0.10)</source>
        <translation>不显著减少（q &gt;= 0.10）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="34"/>
        <source>Weakly significant decrease (q &lt; 0.10)</source>
        <translation>弱显著减少（q &lt; 0.10）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="35"/>
        <source>Significant decrease (q &lt; 0.05)</source>
        <translation>显著减少（q &lt; 0.05）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="36"/>
        <source>Extremely significant decrease (FDR q &lt; 0.01)</source>
        <translation>极显著减少（FDR q &lt; 0.01）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="40"/>
        <source>Extremely significant increase (p &lt; 0.01)</source>
        <translation>极显著增加（p &lt; 0.01）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="41"/>
        <source>Significant increase (p &lt; alpha)</source>
        <translation>显著增加（p &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="42"/>
        <source>Insignificant increase</source>
        <translation>不显著增加</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="43"/>
        <source>No trend</source>
        <translation>无趋势</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="44"/>
        <source>Insignificant decrease</source>
        <translation>不显著减少</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="45"/>
        <source>Significant decrease (p &lt; alpha)</source>
        <translation>显著减少（p &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="46"/>
        <source>Extremely significant decrease (p &lt; 0.01)</source>
        <translation>极显著减少（p &lt; 0.01）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="51"/>
        <source>Significant increase (FDR q &lt; alpha)</source>
        <translation>显著增加（FDR q &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="55"/>
        <source>Significant decrease (FDR q &lt; alpha)</source>
        <translation>显著减少（FDR q &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="60"/>
        <source>Low fluctuation</source>
        <translation>低波动</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="61"/>
        <source>Lower fluctuation</source>
        <translation>较低波动</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="62"/>
        <source>Medium fluctuation</source>
        <translation>中等波动</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="63"/>
        <source>Higher fluctuation</source>
        <translation>较高波动</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="64"/>
        <source>High fluctuation</source>
        <translation>高波动</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="68"/>
        <source>Persistent increase (H &gt; 0.5, slope &gt; 0)</source>
        <translation>持续增加（H &gt; 0.5，斜率 &gt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="69"/>
        <source>Persistent decrease (H &gt; 0.5, slope &lt; 0)</source>
        <translation>持续减少（H &gt; 0.5，斜率 &lt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="70"/>
        <source>Increase now, decrease likely (H &lt; 0.5, slope &gt; 0)</source>
        <translation>当前增加，未来可能减少（H &lt; 0.5，斜率 &gt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="71"/>
        <source>Decrease now, increase likely (H &lt; 0.5, slope &lt; 0)</source>
        <translation>当前减少，未来可能增加（H &lt; 0.5，斜率 &lt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="72"/>
        <source>Undetermined</source>
        <translation>无法确定</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="76"/>
        <source>Significant positive (p &lt; alpha)</source>
        <translation>显著正相关（p &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="77"/>
        <source>Positive, not significant</source>
        <translation>正相关，不显著</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="78"/>
        <source>No correlation (r = 0)</source>
        <translation>无相关（r = 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="79"/>
        <source>Negative, not significant</source>
        <translation>负相关，不显著</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="80"/>
        <source>Significant negative (p &lt; alpha)</source>
        <translation>显著负相关（p &lt; alpha）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="84"/>
        <source>Carbon sink (mean NEP &gt; 0)</source>
        <translation>碳汇（平均 NEP &gt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="85"/>
        <source>Neutral (mean NEP = 0)</source>
        <translation>碳中性（平均 NEP = 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="86"/>
        <source>Carbon source (mean NEP &lt; 0)</source>
        <translation>碳源（平均 NEP &lt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="90"/>
        <source>Unchanged land cover</source>
        <translation>土地覆被未变化</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="91"/>
        <source>Changed land cover</source>
        <translation>土地覆被发生变化</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="94"/>
        <source>Carbon surplus (mean CNC &gt; 0)</source>
        <translation>碳盈余（平均 CNC &gt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="95"/>
        <source>Carbon neutral (CNC = 0)</source>
        <translation>碳中和（CNC = 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="96"/>
        <source>Carbon deficit (mean CNC &lt; 0)</source>
        <translation>碳赤字（平均 CNC &lt; 0）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="100"/>
        <source>Not significant</source>
        <translation>不显著</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="101"/>
        <source>High-High</source>
        <translation>高-高</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="102"/>
        <source>Low-Low</source>
        <translation>低-低</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="103"/>
        <source>Low-High</source>
        <translation>低-高</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="104"/>
        <source>High-Low</source>
        <translation>高-低</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="107"/>
        <source>HH (high value, high neighbours)</source>
        <translation>HH（高值，邻居为高值）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="108"/>
        <source>LH (low value, high neighbours)</source>
        <translation>LH（低值，邻居为高值）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="109"/>
        <source>LL (low value, low neighbours)</source>
        <translation>LL（低值，邻居为低值）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="110"/>
        <source>HL (high value, low neighbours)</source>
        <translation>HL（高值，邻居为低值）</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="113"/>
        <source>Hot spot, 99 % confidence</source>
        <translation>热点，99% 置信度</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="114"/>
        <source>Hot spot, 95 % confidence</source>
        <translation>热点，95% 置信度</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="115"/>
        <source>Hot spot, 90 % confidence</source>
        <translation>热点，90% 置信度</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="117"/>
        <source>Cold spot, 90 % confidence</source>
        <translation>冷点，90% 置信度</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="118"/>
        <source>Cold spot, 95 % confidence</source>
        <translation>冷点，95% 置信度</translation>
    </message>
    <message>
        <location filename="../core/classes.py" line="119"/>
        <source>Cold spot, 99 % confidence</source>
        <translation>冷点，99% 置信度</translation>
    </message>
    <message>
        <location filename="../core/styles.py" line="179"/>
        <source>0.01 &lt; p &lt;= 0.05</source>
        <translation>0.01 &lt; p &lt;= 0.05</translation>
    </message>
    <message>
        <location filename="../core/styles.py" line="179"/>
        <source>p &lt;= 0.01</source>
        <translation>p &lt;= 0.01</translation>
    </message>
    <message>
        <location filename="../core/styles.py" line="180"/>
        <source>0.05 &lt; p &lt;= 0.1</source>
        <translation>0.05 &lt; p &lt;= 0.1</translation>
    </message>
    <message>
        <location filename="../core/styles.py" line="180"/>
        <source>p &gt; 0.1</source>
        <translation>p &gt; 0.1</translation>
    </message>
</context>
</TS>
