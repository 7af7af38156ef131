"""A real OpenSSH server on 127.0.0.1 in front of the test engine, and Fabric connections to it.

The server is Debian's ``/usr/sbin/sshd`` with a generated host key, on a free non-default port. One
generated client key logs in as ``root`` (key only) and as an unprivileged user created for this run,
who is not in the ``docker`` group and may only run ``sudo docker`` (with a password). ``SetEnv
DOCKER_HOST`` points every session at the test engine, so ``docker`` commands and ``docker system
dial-stdio`` on the "remote" host reach it; the sudo rule keeps that variable. Everything is removed at
the end of the session. Without sshd, sudo or root the tests fail with the reason; they never skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import pytest
from fabric import Config, Connection

from tests import helpers

SSHD = "/usr/sbin/sshd"
#: Privilege separation directory that Debian's sshd requires.
PRIVSEP_DIR = "/run/sshd"
FABFILE = helpers.REPO_ROOT / "docs" / "examples" / "fabfile.py"
#: The docker binaries the sudo rule allows (the CLI may be in either place).
DOCKER_BINARIES = ("/usr/bin/docker", "/usr/local/bin/docker")
SSHD_CONFIG = """\
ListenAddress 127.0.0.1
Port {port}
HostKey {root}/host_key
PidFile {root}/sshd.pid
AuthorizedKeysFile {root}/authorized_keys/%u
# The key files live in a temporary directory, not below the users' homes.
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
Subsystem sftp internal-sftp
SetEnv DOCKER_HOST={docker_host}
"""
SUDOERS = """\
Defaults:{user} env_keep += "DOCKER_HOST"
{user} ALL=(root) {commands}
"""


@dataclass
class SudoAccount:
    """The unprivileged user of this run, with the password that sudo asks for."""

    user: str
    password: str


@dataclass
class SSHServer:
    """The running sshd: where it listens, the client key and the users it lets in."""

    port: int
    key_file: str
    account: SudoAccount
    #: HOME for Fabric processes: no ~/.ssh/config, keys or known hosts of the machine's user.
    client_home: str
    log_file: Path
    connections: List[Connection] = field(default_factory=list)

    host = "127.0.0.1"

    def login(self, user: str) -> str:
        """The login name for ``user``: ``'sudo'`` stands for the unprivileged user."""
        return self.account.user if user == "sudo" else user

    def connection(self, user: str = "root") -> Connection:
        """A Fabric connection as ``user`` (see :meth:`login`) with the client key; closed at the end."""
        config = Config(overrides={"load_ssh_configs": False, "sudo": {"password": self.account.password}})
        connection = Connection(
            self.host,
            user=self.login(user),
            port=self.port,
            config=config,
            connect_kwargs={"key_filename": self.key_file, "look_for_keys": False, "allow_agent": False},
        )
        self.connections.append(connection)
        return connection

    def fab(self, user: str, *task_args: str) -> subprocess.CompletedProcess:
        """Run the example fabfile's tasks with the ``fab`` program as ``user`` (see :meth:`login`).

        The program gets no ``DOCKER_*`` variables: the engine can only be reached through the server.
        """
        args = [sys.executable, "-m", "fabric", "--search-root", str(FABFILE.parent)]
        args += ["-H", f"{self.login(user)}@{self.host}:{self.port}", "-i", self.key_file, *task_args]
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_") and k != "SSH_AUTH_SOCK"}
        env.update(HOME=self.client_home, FABRIC_SUDO_PASSWORD=self.account.password)
        proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=helpers.REPO_ROOT)
        assert proc.returncode == 0, (
            f"fab {' '.join(task_args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n"
            f"sshd log:\n{self.log_tail()}"
        )
        return proc

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text().splitlines()[-lines:])
        except OSError:
            return "(no sshd log)"


def _run(args: List[str], what: str, input_text: str = None) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, input=input_text)
    if proc.returncode != 0:
        pytest.fail(
            f"SSH test harness: {what} failed: {proc.stderr.strip() or proc.stdout.strip()}", pytrace=False
        )


def _require_tools() -> None:
    if os.geteuid() != 0:
        pytest.fail("SSH test harness: sshd, useradd and sudoers need root", pytrace=False)
    missing = [tool for tool in (SSHD, "ssh-keygen", "sudo", "visudo", "useradd") if not shutil.which(tool)]
    if missing:
        pytest.fail(
            f"SSH test harness: {', '.join(missing)} not found; install Debian's openssh-server and sudo "
            "(scripts/engine.sh install)",
            pytrace=False,
        )


def _install_sudoers(user: str, sudoers_file: Path) -> None:
    """Let ``user`` run the docker binaries as root (password asked), keeping ``DOCKER_HOST``."""
    commands = ", ".join(path for path in DOCKER_BINARIES if os.path.exists(path))
    with tempfile.NamedTemporaryFile("w", prefix="sudoers.", delete=False) as draft:
        draft.write(SUDOERS.format(user=user, commands=commands))
    _run(["visudo", "-c", "-q", "-f", draft.name], "checking the sudoers rule")
    os.chmod(draft.name, 0o440)
    shutil.move(draft.name, sudoers_file)


def _start_sshd(config: Path, log_file: Path, port: int) -> subprocess.Popen:
    log = open(log_file, "w")
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
    log.close()
    for _ in range(100):
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(64).startswith(b"SSH-2.0-"):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    pytest.fail(
        f"SSH test harness: sshd did not start on port {port}:\n{log_file.read_text()}", pytrace=False
    )


@pytest.fixture(scope="session")
def sudo_account(test_run):
    """A user who is not in the docker group and may run only ``docker`` through sudo (with a password)."""
    _require_tools()
    account = SudoAccount(f"dmfab{test_run.run_id}", secrets.token_hex(12))
    home = Path(tempfile.mkdtemp(prefix="dockermap-sudo-user."))
    sudoers_file = Path("/etc/sudoers.d") / f"dockermap-test-{test_run.run_id}"
    _run(["useradd", "--home-dir", str(home), "--shell", "/bin/sh", account.user], f"useradd {account.user}")
    try:
        shutil.chown(home, account.user)
        _run(
            ["chpasswd"],
            f"setting the password of {account.user}",
            input_text=f"{account.user}:{account.password}\n",
        )
        _install_sudoers(account.user, sudoers_file)
        yield account
    finally:
        sudoers_file.unlink(missing_ok=True)
        _run(["userdel", "--force", account.user], f"removing the user {account.user}")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def ssh_server(engine, sudo_account):
    """Debian's OpenSSH server on 127.0.0.1:<free port>; its sessions reach the test engine."""
    _require_tools()
    root = Path(tempfile.mkdtemp(prefix="dockermap-sshd."))
    # Key files are read with the logged-in user's permissions.
    root.chmod(0o755)
    proc = None
    server = None
    try:
        keys = root / "authorized_keys"
        keys.mkdir()
        for name in ("host_key", "client_key"):
            _run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / name)], f"ssh-keygen {name}"
            )
        public_key = (root / "client_key.pub").read_text()
        for login in ("root", sudo_account.user):
            (keys / login).write_text(public_key)
            (keys / login).chmod(0o644)
        client_home = root / "client-home"
        client_home.mkdir()
        port = helpers.free_port()
        config = root / "sshd_config"
        config.write_text(SSHD_CONFIG.format(port=port, root=root, docker_host=engine.base_url))
        # sshd checks for its runtime directory already in -t; /run starts empty on a new machine.
        os.makedirs(PRIVSEP_DIR, mode=0o755, exist_ok=True)
        _run([SSHD, "-t", "-f", str(config)], "checking the sshd configuration")
        log_file = root / "sshd.log"
        proc = _start_sshd(config, log_file, port)
        server = SSHServer(port, str(root / "client_key"), sudo_account, str(client_home), log_file)
        yield server
    finally:
        if server is not None:
            for connection in server.connections:
                connection.close()
        if proc is not None:
            helpers.stop_process(proc)
        shutil.rmtree(root, ignore_errors=True)
