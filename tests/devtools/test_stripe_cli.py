"""The Stripe CLI's install and flags (devtools/stripe_cli.py) and run.py's plan for `stripe listen` in test
mode (devtools/stripe_listen.py), with npm and the CLI replaced by small fakes: no network, no Node.js."""
import json
import subprocess
from pathlib import Path

from devtools.stripe_cli import (
    CLI_VERSION,
    cli_address,
    command_to_print,
    connection_flags,
    ensure_cli,
    main,
    node_platform,
)
from devtools.stripe_listen import LISTENED, plan_listen
from lib.config.settings import build_settings

TEST_KEY = "sk_test_" + "4" * 24


def settings(tmp_path: Path, **values):
    """Settings with state under tmp_path."""
    return build_settings({"DATA_DIR": str(tmp_path), **values})


def fake_npm(calls: list):
    """A stand-in for `npm install`: records the command and lays out what the real package installs."""
    def run(command, check=False):
        calls.append(command)
        tools = Path(command[command.index("--prefix") + 1])
        package = tools / "node_modules" / "@stripe" / "cli"
        package.mkdir(parents=True)
        (package / "package.json").write_text(json.dumps({"version": CLI_VERSION}))
        (package / "platforms.json").write_text(json.dumps(
            {node_platform(): {"pkg": "@stripe/cli-here", "bin": "stripe"}}))
        binary = tools / "node_modules" / "@stripe" / "cli-here" / "bin" / "stripe"
        binary.parent.mkdir(parents=True)
        binary.write_text("")
        return subprocess.CompletedProcess(command, 0)
    return run


def test_node_names_this_machine_as_the_package_does():
    assert node_platform("linux", "x86_64") == "linux-x64"
    assert node_platform("darwin", "arm64") == "darwin-arm64"
    assert node_platform("win32", "AMD64") == "win32-x64"
    assert node_platform("sunos5", "sparc") == ""


def test_the_pinned_cli_is_installed_once_without_install_scripts(tmp_path):
    calls = []
    found = ensure_cli(tmp_path / "tools", npm="npm", say=lambda *_: None, run=fake_npm(calls))
    assert found is not None and found.name == "stripe"
    [command] = calls
    assert f"@stripe/cli@{CLI_VERSION}" in command and "--ignore-scripts" in command
    assert ensure_cli(tmp_path / "tools", npm="npm", run=fake_npm(calls)) == found and len(calls) == 1


def test_without_npm_there_is_no_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ensure_cli(tmp_path / "tools", say=lambda *_: None) is None


def test_flags_aim_the_cli_at_the_sandbox_or_leave_real_stripe_alone(tmp_path):
    sandbox = settings(tmp_path, SANDBOX_API_KEY="sk_test_sandboxkey1234", SANDBOX_URL="http://localhost:5000/")
    assert connection_flags(sandbox) == ["--api-key", "sk_test_sandboxkey1234",
                                         "--api-base", "http://127.0.0.1:5000"]
    assert connection_flags(sandbox, ["--api-base", "http://127.0.0.1:9"]) == ["--api-key", sandbox.api_key]
    test_mode = settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY)
    assert connection_flags(test_mode) == ["--api-key", TEST_KEY]
    assert cli_address("http://localhost:12111/") == "http://127.0.0.1:12111"


def test_the_command_to_print_shows_the_sandbox_key_and_never_a_real_one(tmp_path):
    sandbox = settings(tmp_path, SANDBOX_API_KEY="sk_test_sandboxkey1234")
    assert command_to_print(sandbox, ["trigger", "checkout.session.completed"]) == (
        "stripe trigger checkout.session.completed --api-key sk_test_sandboxkey1234 "
        "--api-base http://127.0.0.1:12111")
    test_mode = settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY)
    assert TEST_KEY not in command_to_print(test_mode, ["listen"])


def test_run_py_stripe_without_npm_prints_the_command_to_run(tmp_path, capsys):
    code = main(["trigger", "checkout.session.completed"], {"DATA_DIR": str(tmp_path)}, ensure=lambda: None)
    assert code == 2
    assert "stripe trigger checkout.session.completed --api-key" in capsys.readouterr().err


def test_test_mode_runs_stripe_listen_and_hands_its_secret_to_the_sidecar(tmp_path):
    said = []
    ran = []

    def cli_prints_secret(command, **kwargs):
        ran.append(command)
        return subprocess.CompletedProcess(command, 0, "whsec_fromcli\n", "")
    test_mode = settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY, WEBHOOK_PORT="4343")
    processes, secret = plan_listen(test_mode, {}, ensure=lambda: Path("/cli/stripe"), run=cli_prints_secret,
                                    say=said.append)
    assert secret == "whsec_fromcli" and ran[0][:3] == ["/cli/stripe", "listen", "--print-secret"]
    [(name, command, env, _)] = processes
    assert name == "stripe" and env == {"STRIPE_API_KEY": TEST_KEY}
    assert command[1:5] == ["listen", "--events", ",".join(LISTENED), "--forward-to"]
    assert command[5] == "http://127.0.0.1:4343/webhook"
    assert plan_listen(settings(tmp_path), {}, ensure=lambda: Path("/cli/stripe")) == ([], "")
    assert plan_listen(settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY, STRIPE_LISTEN="0"), {},
                       ensure=lambda: Path("/cli/stripe")) == ([], "")


def test_test_mode_without_node_says_what_to_run_by_hand(tmp_path):
    said = []
    test_mode = settings(tmp_path, STRIPE_SECRET_KEY=TEST_KEY)
    assert plan_listen(test_mode, {}, ensure=lambda: None, say=said.append) == ([], "")
    assert "stripe listen --events checkout.session.completed," in said[0] and TEST_KEY not in said[0]

    def cli_fails(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "Authorization failed, status=401")
    said.clear()
    assert plan_listen(test_mode, {}, ensure=lambda: Path("/cli/stripe"), run=cli_fails,
                       say=said.append) == ([], "")
    assert "status=401" in said[0]
