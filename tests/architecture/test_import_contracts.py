"""Every import-linter contract in pyproject.toml is shown to fail on a planted violation.

lint-imports keeps a contract that cannot fail — a wildcard that matches nothing, a misspelt
module — without a word. So each test copies `src/ordnung` into its own `tmp_path`, appends one
forbidden import to one module of the copy and runs lint-imports with the project's
configuration on the copy: the contract must come out broken, naming the planted import. The
unplanted copy is the control: it keeps every contract, so a broken one is the plant's doing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grimp
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = REPO_ROOT / "pyproject.toml"
SOURCE_ROOT = REPO_ROOT / "src"
ROOT_PACKAGE = "ordnung"
# The console script of the environment running the tests, so the import-linter version pinned
# in pyproject.toml is the one under test, whatever lint-imports happens to be on PATH.
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CONTRACTS: dict[str, dict[str, Any]] = {
    contract["id"]: contract
    for contract in tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
}
# Options whose values name modules, and the characters that join several names in one layer.
MODULE_OPTIONS = (
    "source_modules",
    "forbidden_modules",
    "layers",
    "protected_modules",
    "allowed_importers",
    "ancestors",
)
LAYER_SEPARATORS = ("|", ":")


@dataclass(frozen=True)
class PlantedImport:
    """An import the contract forbids, written as the last line of `module` in the copy."""

    contract_id: str
    module: str
    imported: str

    @property
    def path(self) -> Path:
        return Path(*self.module.split(".")).with_suffix(".py")


# Sentences naming the planted imports, which read as the test ids.
PLANTED: dict[str, PlantedImport] = {
    # Indirect: the repository is what brings SQLAlchemy and the driver in.
    "the_order_model_importing_the_order_repository_breaks_pure_models": PlantedImport(
        "pure-models", "ordnung.orders.model", "ordnung.orders.repository"
    ),
    "the_sourcing_model_importing_the_order_tables_breaks_pure_models": PlantedImport(
        "pure-models", "ordnung.sourcing.model", "ordnung.orders.tables"
    ),
    "the_order_repository_importing_fastapi_breaks_services_without_http": PlantedImport(
        "services-without-http", "ordnung.orders.repository", "fastapi"
    ),
    # The old defect: a sourcing rule in fulfillment/ called from inventory/.
    "stock_calling_up_into_the_fulfillment_service_breaks_capability_layers": PlantedImport(
        "capability-layers", "ordnung.inventory.stock", "ordnung.fulfillment.service"
    ),
    # Shows that `|` makes the capabilities of one layer independent of each other.
    "sourcing_calling_customers_in_its_own_layer_breaks_capability_layers": PlantedImport(
        "capability-layers", "ordnung.sourcing.service", "ordnung.customers.service"
    ),
    # inventory.service already imports catalog.service: the two packages now form a cycle.
    "catalog_importing_inventory_which_imports_catalog_breaks_no_package_cycles": PlantedImport(
        "no-package-cycles", "ordnung.catalog.service", "ordnung.inventory.service"
    ),
    # The model already imports the draft; no other contract sees a cycle inside a package.
    "a_cycle_between_two_modules_of_orders_breaks_no_package_cycles": PlantedImport(
        "no-package-cycles", "ordnung.orders.draft", "ordnung.orders.model"
    ),
    "the_fulfillment_service_importing_the_driver_breaks_driver_whitelist": PlantedImport(
        "driver-whitelist", "ordnung.fulfillment.service", "ordnung.core.driver"
    ),
    "order_queries_importing_the_web_app_breaks_entry_points_on_top": PlantedImport(
        "entry-points-on-top", "ordnung.orders.queries", "ordnung.web.app"
    ),
}


@pytest.fixture
def copied_tree(tmp_path: Path) -> Path:
    """A private copy of the package; tests write into it, never into `src/`."""
    shutil.copytree(
        SOURCE_ROOT / ROOT_PACKAGE,
        tmp_path / ROOT_PACKAGE,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def plant(root: Path, planted: PlantedImport) -> int:
    """Appends the import after everything else in the module; returns its line number.

    A plain top-level import, so grimp cannot miss it; the copy is only parsed, never run.
    """
    path = root / planted.path
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += f"import {planted.imported}  # planted\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def lint_imports(root: Path, *contract_ids: str) -> subprocess.CompletedProcess[str]:
    """Runs lint-imports on the copy under `root` with the project's contracts."""
    # The editable install puts the real `src/` on sys.path too, but only after PYTHONPATH, and
    # lint-imports puts its working directory first: both point at the copy, so grimp reads it.
    search_path = [str(root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(search_path)}
    env["COLUMNS"] = "1000"  # rich wraps at 80 columns otherwise, splitting module names
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    selection = [
        argument for contract_id in contract_ids for argument in ("--contract", contract_id)
    ]
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(PYPROJECT), "--no-cache", "--no-logo", *selection],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


def evidence_of(planted: PlantedImport, line: int) -> re.Pattern[str]:
    """What lint-imports must print about the planted import."""
    if CONTRACTS[planted.contract_id]["type"] != "acyclic_siblings":
        # The planted import must open a reported chain: reached only through another source
        # module, it would prove nothing about the wildcard meant to cover the planted one.
        link = re.escape(f"{planted.module} -> {planted.imported} (l.{line})")
        return re.compile(rf"^-\s+{link}", re.MULTILINE)
    # A cycle is reported between the children of the nearest common package, as the
    # dependencies whose removal would break it: either side of the planted cycle may be chosen.
    importer, imported = planted.module.split("."), planted.imported.split(".")
    common = 0
    while importer[common] == imported[common]:
        common += 1
    parent = re.escape(".".join(importer[:common]))
    one, other = re.escape(importer[common]), re.escape(imported[common])
    return re.compile(
        rf"No cycles are allowed in {parent}\.\n"
        r"It could be made acyclic by removing \d+ dependenc(?:y|ies):\n\n"
        rf"(?:- .*\n)*?- \.(?:{one} -> \.{other}|{other} -> \.{one}) \("
    )


def modules_in(source_root: Path) -> set[str]:
    """Every module and package under `source_root`, as dotted names."""
    modules: set[str] = set()
    for path in (source_root / ROOT_PACKAGE).rglob("*.py"):
        parts = path.relative_to(source_root).with_suffix("").parts
        modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def module_names(contract: dict[str, Any]) -> set[str]:
    """The module names and expressions a contract's options mention."""
    names: set[str] = set()
    for option in MODULE_OPTIONS:
        for value in contract.get(option, []):
            for separator in LAYER_SEPARATORS:
                value = value.replace(separator, " ")
            # Parentheses mark an optional layer, which may be absent by design.
            names.update(name for name in value.split() if not name.startswith("("))
    return names


def test_the_unplanted_copy_keeps_every_contract(copied_tree: Path) -> None:
    result = lint_imports(copied_tree)

    assert result.returncode == 0, result.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize("planted", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_import_breaks_its_contract(copied_tree: Path, planted: PlantedImport) -> None:
    line = plant(copied_tree, planted)

    result = lint_imports(copied_tree, planted.contract_id)

    assert result.returncode != 0, result.stdout
    assert f"{CONTRACTS[planted.contract_id]['name']} BROKEN" in result.stdout
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    assert evidence_of(planted, line).search(result.stdout), result.stdout


def test_every_contract_is_shown_to_fail_by_a_planted_import() -> None:
    planted_ids = {planted.contract_id for planted in PLANTED.values()}

    assert planted_ids == set(CONTRACTS)


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_every_module_a_contract_names_exists(contract_id: str) -> None:
    # A plant proves one module of a contract; a misspelt name or a wildcard matching nothing
    # elsewhere in the same list would still be kept silently, so each must match something.
    graph = grimp.ImportGraph()
    for module in modules_in(SOURCE_ROOT):
        graph.add_module(module)

    for name in sorted(module_names(CONTRACTS[contract_id])):
        if name.split(".")[0] == ROOT_PACKAGE:
            assert graph.find_matching_modules(name), f"{name} matches no module of {ROOT_PACKAGE}"
        else:
            # External packages enter the graph only once imported; the name must still exist.
            assert importlib.util.find_spec(name) is not None, f"{name} is not installed"
