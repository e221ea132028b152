"""What a page depends on: the package's files its notebook can reach and the configuration they read.

Derived from the code, never declared by hand (a forgotten declaration would
publish a stale page):

- **Modules**: the notebook's imports of ``tilannekuva`` and, transitively, the
  imports of those modules: every ``import`` statement anywhere in a module,
  inside functions and ``TYPE_CHECKING`` blocks too, since a lazy import runs
  when the page calls it. Importing a module runs its packages' ``__init__``,
  so those count. The modules that render a page into HTML
  (:data:`RENDERERS`) count for every page. Templates, styles and scripts
  (``*.j2``, ``*.css``, ``*.json``, ``*.js``) count with any module of their
  folder or of a parent of their non-package folder (``site/templates/``).
- **Configuration files** (``config/*.yaml``): a module *reads* a file when its
  code names the file's path (``"config/themes.yaml"``, or a constant holding
  it, wherever that is defined) outside its constant definitions and
  properties; a property (``settings.themes_file``, ``settings.questionnaire``)
  reads what it names, and what the properties it names read. A page uses a
  file when one of its modules reads it, or when its notebook or one of its
  modules mentions a property that reads it. Properties match by name, so two
  of the same name count as one: that can only add a file, never lose one.
- The region's reference files define the pages themselves and are read by
  every page's settings: they count for every page (see :mod:`.manifest`).

A notebook cell that cannot be parsed (even after its IPython magics are
dropped) makes the page depend on the whole package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tilannekuva.paths import PROJECT_ROOT

PACKAGE = "tilannekuva"
PACKAGE_DIR = PROJECT_ROOT / "lib" / PACKAGE
# Rendering runs in the build process for every page (site/export.py, site/downloads.py).
RENDERERS = ("tilannekuva.site.export", "tilannekuva.site.downloads")
ASSET_SUFFIXES = {".j2", ".css", ".json", ".js"}
CONFIG_PATH = re.compile(r"^config/[\w.-]+\.ya?ml$")


@dataclass(frozen=True)
class PageDependencies:
    modules: tuple[Path, ...]  # package files (modules and assets), sorted
    config: tuple[str, ...]  # configuration files relative to a data directory, sorted


def module_file(name: str) -> Path | None:
    """The file of package module ``name`` (``tilannekuva.a.b``), or None if it is not one."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_DIR).with_suffix("")
    parts = [PACKAGE, *relative.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def imported_modules(tree: ast.AST, current: str = "", is_package: bool = False) -> set[str]:
    """Package modules ``tree`` imports anywhere, with their parent packages."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the current module's package upwards
                package = current.split(".") if is_package else current.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            names = [base]
            # `from package import module` imports the module too.
            names += [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
        else:
            continue
        for name in names:
            for candidate in _with_parents(name):
                if module_file(candidate) is not None:
                    found.add(candidate)
    return found


@dataclass(frozen=True)
class _ModuleFacts:
    imports: frozenset[str]
    names: frozenset[str]  # every Name and Attribute name the module mentions
    reads: frozenset[str]  # config files named outside properties and constant definitions
    constants: dict[str, str]  # module constant -> config file it holds
    properties: dict[str, tuple[frozenset[str], frozenset[str]]]  # name -> (files, names)


def _mentioned(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


def _config_literals(tree: ast.AST, constants: dict[str, str]) -> set[str]:
    files = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if CONFIG_PATH.match(node.value):
                files.add(node.value)
        elif isinstance(node, ast.Name) and node.id in constants:
            files.add(constants[node.id])
    return files


def _is_property(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    for decorator in node.decorator_list:
        name = (
            decorator.attr if isinstance(decorator, ast.Attribute) else getattr(decorator, "id", "")
        )
        if name in ("property", "cached_property"):
            return True
    return False


def _constant_definitions(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and CONFIG_PATH.match(node.value.value)
        ):
            constants.update(
                {t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)}
            )
    return constants


@lru_cache(maxsize=512)
def _facts(path: Path, mtime_ns: int) -> _ModuleFacts:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = _module_name(path)
    imports = imported_modules(tree, name, path.name == "__init__.py")
    constants = _constant_definitions(tree)
    properties: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    skipped: set[int] = set()  # the nodes inside properties and constant definitions
    for node in ast.walk(tree):
        if _is_property(node):
            properties[node.name] = (
                frozenset(_config_literals(node, constants)),
                frozenset(_mentioned(node)),
            )
            skipped.update(id(n) for n in ast.walk(node))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in constants for t in node.targets
        ):
            skipped.update(id(n) for n in ast.walk(node))
    # Constants imported from elsewhere (`from tilannekuva.settings import PRIVACY_FILE`) are
    # resolved by the caller; here only literals and this module's own constants.
    reads = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if CONFIG_PATH.match(node.value):
                reads.add(node.value)
        elif isinstance(node, ast.Name) and node.id in constants:
            reads.add(constants[node.id])
    return _ModuleFacts(
        frozenset(imports), frozenset(_mentioned(tree)), frozenset(reads), constants, properties
    )


def _module_facts(path: Path) -> _ModuleFacts:
    return _facts(path, path.stat().st_mtime_ns)


def _assets(folder: Path) -> list[Path]:
    """Templates, styles and scripts in ``folder`` and its subfolders that are not packages."""
    found = []
    for path in folder.iterdir():
        if path.is_file() and path.suffix in ASSET_SUFFIXES:
            found.append(path)
        elif path.is_dir() and not (path / "__init__.py").exists():
            found.extend(_assets(path))
    return found


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def notebook_code(cells: Iterable[str]) -> ast.Module | None:
    """The notebook's code cells as one syntax tree (IPython magics dropped); None if unparsable."""
    body = []
    for source in cells:
        lines = [
            "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
        ]
        try:
            body.extend(ast.parse("\n".join(lines)).body)
        except SyntaxError:
            return None
    return ast.Module(body=body, type_ignores=[])


def page_dependencies(code_cells: Iterable[str]) -> PageDependencies:
    """The package files and configuration files a notebook with these code cells depends on."""
    tree = notebook_code(code_cells)
    if tree is None:  # cannot tell: everything
        roots = {_module_name(p) for p in package_files()}
        mentioned: set[str] = set()
    else:
        roots = imported_modules(tree)
        mentioned = _mentioned(tree)
    roots |= {m for r in RENDERERS for m in _with_parents(r)}
    seen: set[str] = set()
    pending = sorted(roots)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(_module_facts(module_file(name)).imports - seen)
    files = {module_file(name) for name in seen}
    facts = [_module_facts(path) for path in files]
    constants = {k: v for f in facts for k, v in f.constants.items()}
    config: set[str] = set()
    properties: dict[str, tuple[set[str], set[str]]] = {}
    for fact in facts:
        mentioned |= fact.names
        config |= fact.reads
        # A constant imported from another module is a name here: resolve it package-wide.
        config |= {constants[n] for n in fact.names - fact.constants.keys() if n in constants}
        for name, (reads, names) in fact.properties.items():
            entry = properties.setdefault(name, (set(), set()))
            entry[0].update(reads | {constants[n] for n in names if n in constants})
            entry[1].update(names)
    changed = True
    while changed:  # a property reads what the properties it names read
        changed = False
        for reads, names in properties.values():
            for other in names & properties.keys():
                if not properties[other][0] <= reads:
                    reads |= properties[other][0]
                    changed = True
    for name in mentioned & properties.keys():
        config |= properties[name][0]
    assets = {p for folder in {path.parent for path in files} for p in _assets(folder)}
    return PageDependencies(tuple(sorted(files | assets)), tuple(sorted(config)))
