"""devtools.demo: the demo's processes, Streamlit's flags (one URL printed), the port message."""
import socket

from devtools.demo import demo_processes, free_port_near, streamlit_command, taken_ports_message
from lib.config.settings import build_settings

PY = "/opt/python with space/python"


def flags(command: list[str]) -> dict[str, str]:
    """The --option value pairs of a command line."""
    return {arg: command[i + 1] for i, arg in enumerate(command) if arg.startswith("--")}


def test_streamlit_prints_the_same_url_as_run_py():
    """Streamlit's "URL:" line is http://{browser.serverAddress}:{browser.serverPort}: both come
    from APP_URL, while it listens on LISTEN_ADDRESS:APP_PORT."""
    command = streamlit_command(build_settings({}), PY)
    assert command[:5] == [PY, "-m", "streamlit", "run", "app_server.py"]
    assert flags(command) == {"--server.port": "8501", "--server.address": "127.0.0.1",
                              "--browser.serverAddress": "localhost",
                              "--browser.serverPort": "8501"}
    loopback = flags(streamlit_command(build_settings({"APP_URL": "http://127.0.0.1:9000"}), PY))
    assert loopback["--browser.serverAddress"] == "127.0.0.1"
    assert loopback["--server.port"] == loopback["--browser.serverPort"] == "9000"


def test_a_proxied_http_address_is_printed_while_streamlit_listens_inside():
    settings = build_settings({"APP_URL": "http://127.0.0.1:18080", "APP_PORT": "8501",
                               "LISTEN_ADDRESS": "0.0.0.0"})
    assert flags(streamlit_command(settings, PY)) == {
        "--server.port": "8501", "--server.address": "0.0.0.0",
        "--browser.serverAddress": "127.0.0.1", "--browser.serverPort": "18080"}


def test_an_https_address_streamlit_cannot_print_silences_its_url_line():
    settings = build_settings({"APP_URL": "https://asha-x-8501.app.github.dev"})
    command = flags(streamlit_command(settings, PY))
    assert command["--logger.hideWelcomeMessage"] == "true"
    assert "--browser.serverAddress" not in command


def test_sandbox_mode_runs_three_processes_with_their_settings(tmp_path):
    settings = build_settings({"DATA_DIR": str(tmp_path), "SANDBOX_PUBLIC_URL":
                               "https://pay.example.org", "LISTEN_ADDRESS": "0.0.0.0"})
    processes = {name: (cmd, env, port) for name, cmd, env, port in demo_processes(settings, PY)}
    assert list(processes) == ["sandbox", "webhook", "web"]
    sandbox_cmd, sandbox_env, sandbox_port = processes["sandbox"]
    assert sandbox_cmd == [PY, "-m", "stripe_sandbox"] and sandbox_port == 12111
    assert sandbox_env["SANDBOX_PUBLIC_URL"] == "https://pay.example.org"
    assert sandbox_env["SANDBOX_WEBHOOK_URL"] == "http://127.0.0.1:4242/webhook"
    for _, env, _ in processes.values():
        assert env["LISTEN_ADDRESS"] == "0.0.0.0" and env["DATA_DIR"] == str(tmp_path)
        assert env["STRIPE_WEBHOOK_SECRET"].startswith("whsec_")  # one secret for both sides
        assert env["PYTHONIOENCODING"] == "utf-8"  # a Windows console must not choke on ₹


def test_real_keys_start_no_sandbox(tmp_path):
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_SECRET_KEY": "sk_test_" + "1" * 24})
    assert [name for name, *_ in demo_processes(settings, PY)] == ["webhook", "web"]


def test_a_taken_port_is_named_with_the_setting_that_moves_it(tmp_path):
    settings = build_settings({"DATA_DIR": str(tmp_path)})
    processes = demo_processes(settings, PY)
    busy = {8501, 8502}
    message = taken_ports_message(processes, "127.0.0.1", lambda _, port: port in busy)
    assert message.count("\n") == 0  # only the app's port is taken
    assert "port 8501 (web) is already in use" in message
    assert "set APP_PORT to a free port, e.g. `APP_PORT=8503`" in message
    assert taken_ports_message(processes, "127.0.0.1", lambda *_: False) == ""
    every = taken_ports_message(processes, "127.0.0.1", lambda *_: True)
    assert all(s in every for s in ("SANDBOX_PORT", "WEBHOOK_PORT", "APP_PORT"))


def test_free_port_near_finds_a_really_free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert taken_ports_message([("web", [], {}, port)], "127.0.0.1").startswith(
            f"[run] port {port} (web)")
        found = free_port_near(port, "127.0.0.1")
        assert found > port
