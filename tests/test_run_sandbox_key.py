"""run.py hands the sandbox's own API key to every demo process, made once and kept under DATA_DIR."""
from devtools.demo import demo_processes
from lib.config.settings import build_settings


def test_every_process_gets_the_same_sandbox_key_and_it_survives_a_restart(tmp_path):
    settings = build_settings({"DATA_DIR": str(tmp_path)})
    processes = {name: env for name, _, env, _ in demo_processes(settings)}
    keys = {env["SANDBOX_API_KEY"] for env in processes.values()}
    assert set(processes) == {"sandbox", "webhook", "web"} and len(keys) == 1
    key = keys.pop()
    assert key.startswith("sk_test_") and len(key) > 20
    again = {env["SANDBOX_API_KEY"] for _, _, env, _ in demo_processes(settings)}
    assert again == {key} and (tmp_path / "sandbox_api_key").read_text() == key
    # The app's settings, read from what run.py hands over, send that key to the sandbox.
    assert build_settings({"DATA_DIR": str(tmp_path), **processes["web"]}).api_key == key


def test_with_real_keys_no_sandbox_key_is_made(tmp_path):
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_SECRET_KEY": "sk_test_" + "1" * 24})
    assert all("SANDBOX_API_KEY" not in env for _, _, env, _ in demo_processes(settings))
    assert not (tmp_path / "sandbox_api_key").exists()
