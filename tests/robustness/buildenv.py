"""The environment ctest gives tests/harness.py, read from a build folder instead, for the scripts
people run by hand (tests/robustness/fuzz, tests/bench/run)."""

import glob
import os
import re
import shutil
import sys

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def from_build(build):
    """Sets SIPVI_PLUGIN, SIPVI_LUA (when built), SIPVI_WS_SERIES, SIPVI_TSHARK, SIPVI_SANITIZE and SIPVI_SOURCE_DIR."""
    build = os.path.abspath(build)
    cache = {}
    try:
        with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^([A-Za-z_0-9]+):[A-Z]+=(.*)$", line.rstrip("\n"))
                if m:
                    cache[m.group(1)] = m.group(2)
    except OSError as e:
        sys.exit(f"{build} is not a sipvi build folder: {e}")
    plugins = glob.glob(os.path.join(build, "plugins", "*", "epan", "sipvi.so"))
    if len(plugins) != 1:
        sys.exit(f"expected one plugins/*/epan/sipvi.so under {build} (built?), found {plugins}")
    os.environ["SIPVI_PLUGIN"] = plugins[0]
    lua = os.path.join(build, "lua", "sipvi.lua")
    if os.path.exists(lua):
        os.environ["SIPVI_LUA"] = lua
    os.environ["SIPVI_WS_SERIES"] = plugins[0].split(os.sep)[-3]
    os.environ["SIPVI_TSHARK"] = cache.get("SIPVI_TSHARK") or shutil.which("tshark") or "tshark"
    sanitize = cache.get("SIPVI_SANITIZE", "OFF").upper() in ("ON", "1", "TRUE", "YES", "Y")
    os.environ["SIPVI_SANITIZE"] = "1" if sanitize else "0"
    os.environ.setdefault("SIPVI_SOURCE_DIR", SOURCE_DIR)
    return cache


def import_harness():
    sys.path.insert(0, os.path.join(SOURCE_DIR, "tests"))
    import harness
    return harness
