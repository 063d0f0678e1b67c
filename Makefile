# CarbonSink: set-up, tests, demo and benchmark on Debian 12 (QGIS 3.22 LTR) and
# Debian 13 (QGIS 3.40 LTR); test-debian13 / test-sid run the suite in a Debian root.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SYSPY := /usr/bin/python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := qgis python3-qgis qgis-providers python3-gdal gdal-bin python3-scipy python3-venv \
	qttools5-dev-tools xvfb xauth fonts-wqy-microhei
QGIS_PLUGINS := $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
QGIS_PROCESS := /usr/bin/qgis_process.bin
export QT_QPA_PLATFORM := offscreen
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)
# qgis_process.bin sees the venv's packages (numba) through PYTHONPATH
SITE = $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null)

.PHONY: setup test demo bench example-data clean qgis-deps translations package i18n-extract models \
	test-debian13 demo-debian13 test-sid realdata lint

setup: qgis-deps $(VENV)/.installed translations plugin-link

qgis-deps:
	@if ! [ -x $(QGIS_PROCESS) ] || ! [ -x /usr/lib/qt5/bin/lrelease ] || ! [ -x /usr/bin/xvfb-run ] || \
	  ! $(SYSPY) -c 'import qgis.core, osgeo.gdal, scipy, venv, ensurepip' 2>/dev/null; then \
	  echo "Installing QGIS and GDAL from Debian's packages"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(APT_PACKAGES) </dev/null; \
	fi

# Debian's numpy/scipy stay: GDAL's gdal_array is built against them (numpy 1.24 on
# Debian 12, 2.x on Debian 13); the constraints file pins whatever the system has.
$(VENV)/.installed: pyproject.toml
	@[ -x $(PY) ] || $(SYSPY) -m venv --system-site-packages $(VENV)
	@$(SYSPY) -c 'import numpy, scipy; print(f"numpy=={numpy.__version__}\nscipy=={scipy.__version__}")' > $(VENV)/constraints.txt
	$(PY) -m pip install -q --disable-pip-version-check -c $(VENV)/constraints.txt -e ".[test]"
	@touch $@

plugin-link:
	@mkdir -p $(QGIS_PLUGINS) $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	@ln -sfn $(CURDIR) $(QGIS_PLUGINS)/carbonsink
	@out=$$($(QGIS_PROCESS) plugins enable carbonsink 2>&1) || \
	  case "$$out" in *"already enabled"*) ;; *) echo "$$out"; exit 1;; esac
	@echo "Plugin linked: $(QGIS_PLUGINS)/carbonsink -> $(CURDIR) (enabled for qgis_process)"

test: setup realdata lint
	PYTHONPATH=$(SITE) $(PY) -m pytest -q -ra tests

# ruff (pyproject.toml [tool.ruff]): pyflakes, pycodestyle and import order, clean on the tree
lint: setup
	$(VENV)/bin/ruff check .

# real data for the tests (shared/realdata.md): the NetCDF climate files of the
# Debian package r-cran-stars, unpacked without installing R
REALDATA := .realdata
realdata: $(REALDATA)/.done
$(REALDATA)/.done:
	@mkdir -p $(REALDATA) && cd $(REALDATA) && rm -f r-cran-stars_*.deb && \
	  (apt-get download r-cran-stars >/dev/null 2>&1 || \
	   ($(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	    apt-get download r-cran-stars >/dev/null 2>&1)) && \
	  dpkg -x r-cran-stars_*.deb stars && rm -f r-cran-stars_*.deb && touch .done
	@echo "Real data: $(REALDATA)/stars/usr/lib/R/site-library/stars/nc/bcsd_obs_1999.nc"

# the suite on other Debian releases, in a debootstrap root built once under
# /var/tmp/carbonsink-roots (as root; Debian's own QGIS, GDAL and numpy there)
test-debian13:
	$(SUDO) scripts/test_in_debian.sh trixie test

demo-debian13:
	$(SUDO) scripts/test_in_debian.sh trixie demo

test-sid:
	$(SUDO) scripts/test_in_debian.sh sid test

example-data: setup
	$(PY) scripts/make_example_data.py example-data
	$(PY) scripts/make_accounting_data.py example-data

demo: setup example-data
	PYTHONPATH=$(SITE) $(PY) scripts/demo.py --data example-data --out demo-output

bench: setup
	PYTHONPATH=$(SITE) $(PY) scripts/bench_kernels.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)
	PYTHONPATH=$(SITE) $(PY) scripts/bench.py $(BENCH_ARGS)
	PYTHONPATH=$(SITE) $(PY) scripts/bench_temporal.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)
	PYTHONPATH=$(SITE) $(PY) scripts/bench_resilience.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)
	PYTHONPATH=$(SITE) $(PY) scripts/bench_zonal.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)
	PYTHONPATH=$(SITE) $(PY) scripts/bench_spatial.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)
	PYTHONPATH=$(SITE) $(PY) scripts/bench_dask.py $(if $(findstring --quick,$(BENCH_ARGS)),--quick,)

# i18n/*.qm from the committed .ts files (lrelease from qttools5-dev-tools)
translations:
	@$(SYSPY) scripts/i18n.py release

# after changing user-visible strings: update i18n/*.ts, then translate the new messages
i18n-extract:
	$(SYSPY) scripts/i18n.py extract

# rebuild models/*.model3 (after changing a parameter of an algorithm they use)
models: setup
	$(PY) scripts/make_models.py

# the plugin zip for the QGIS plugin repository: dist/carbonsink-<version>.zip
package: translations
	$(SYSPY) scripts/package.py --no-qm

clean:
	rm -rf demo-output example-data bench-data dist .pytest_cache i18n/*.qm .realdata
