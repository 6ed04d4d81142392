"""Where ketaguide keeps the user's files: the platform's folders, or the environment's.

`KETAGUIDE_STATE_DIR`, `KETAGUIDE_CONFIG_DIR` and `KETAGUIDE_CACHE_DIR` override
the platform's state, config and cache folders. They are read on every call, so
tests (and users) can redirect them at any time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "ketaguide"
STATE_DIR_ENV = "KETAGUIDE_STATE_DIR"
CONFIG_DIR_ENV = "KETAGUIDE_CONFIG_DIR"
CACHE_DIR_ENV = "KETAGUIDE_CACHE_DIR"


def _user_dir(env_var: str, platform_dir: Callable[[str], str]) -> Path:
    override = os.environ.get(env_var)
    if override:
        return Path(override).expanduser()
    return Path(platform_dir(APP_NAME))


def state_dir() -> Path:
    """The folder for reading state (last place, bookmarks, read marks, theme)."""
    return _user_dir(STATE_DIR_ENV, platformdirs.user_state_dir)


def config_dir() -> Path:
    """The folder for `config.toml` (key bindings)."""
    return _user_dir(CONFIG_DIR_ENV, platformdirs.user_config_dir)


def cache_dir() -> Path:
    """The folder for work done on content (loaded sections, search indexes): safe to delete."""
    return _user_dir(CACHE_DIR_ENV, platformdirs.user_cache_dir)
