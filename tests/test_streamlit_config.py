"""The project's .streamlit/config.toml: options Streamlit knows, set as the app needs them."""
import tomllib

from streamlit import config

from lib.config.settings import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_every_option_is_one_streamlit_knows():
    """A misspelt or retired option would be ignored without a word."""
    known = set(config.get_config_options())
    for section, options in CONFIG.items():
        for name in options:
            assert f"{section}.{name}" in known, f"{section}.{name}"


def test_no_full_garbage_collection_after_each_run():
    """Streamlit's post-run collection over this app's heap cost 77-92 ms a click (bench README,
    issue 16): it stays off."""
    assert CONFIG["runner"]["postScriptGC"] is False
