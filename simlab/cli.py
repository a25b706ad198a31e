"""The ``simlab`` command: serve the local AWS, check the environment, and more."""

from __future__ import annotations

import argparse
import errno
import importlib
import signal
import sys
import threading
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from simlab.room.accounts import Room


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _serve(args: argparse.Namespace) -> int:
    from simlab.aws import LocalAWS

    if not 0 <= args.port <= 65535:
        print(f"simlab serve: error: --port must be 0..65535, got {args.port}", file=sys.stderr)
        return 2
    room = None
    if args.room is not None:
        from simlab.room.cli import prepare

        try:
            room = prepare(args.room, args.room_dir)
        except (OSError, ValueError, KeyError, TypeError) as error:
            print(f"simlab serve: error: {error}", file=sys.stderr)
            return 2
    if not (0 < args.speed < float("inf")):
        print(
            f"simlab serve: error: --speed must be a positive number, got {args.speed}",
            file=sys.stderr,
        )
        return 2
    aws = LocalAWS(
        "server",
        port=args.port,
        seed=args.seed,
        clock=args.clock,
        speed=args.speed,
        state_dir=args.state,
        room=room,
        host=args.host,
    )
    try:
        aws.start()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"simlab serve: error: port {args.port} on {args.host} is busy; "
                "choose another with --port, or --port 0 for a free one",
                file=sys.stderr,
            )
            return 2
        print(f"simlab serve: error: {error.strerror or error}", file=sys.stderr)
        return 2
    stopped = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"simlab local AWS listening on {aws.endpoint_url}", flush=True)
    pace = f"{args.speed:g}x wall time" if args.clock == "live" else "moves when told"
    print(f"  clock: {args.clock} ({pace}); GET/POST {aws.endpoint_url}/simlab/clock", flush=True)
    print(
        f"  use endpoint_url='{aws.endpoint_url}' in boto3, --endpoint-url {aws.endpoint_url} "
        "with the AWS CLI; Ctrl-C stops",
        flush=True,
    )
    if room is not None:
        _announce_room(room, args, aws.endpoint_url or "")
    while not stopped.wait(0.5):
        pass
    aws.stop()
    print("simlab local AWS stopped", flush=True)
    return 0


def _announce_room(room: Room, args: argparse.Namespace, endpoint_url: str) -> None:
    from simlab.room import handout

    public = args.public_url or endpoint_url
    folder = handout.write(room, args.room_dir, public)
    print(f"  workshop room: {len(room)} attendees, one account each", flush=True)
    print(f"  handouts and ~/.aws profiles in {folder}/ (room.json holds every key)", flush=True)
    print(
        f"  instructor: simlab room status --endpoint-url {endpoint_url} --room-dir {folder}",
        flush=True,
    )


def _check_env(args: argparse.Namespace) -> int:
    from simlab import envcheck

    checks = envcheck.run()
    print(envcheck.report(checks))
    return 0 if all(c.ok for c in checks) else 1


#: Further subcommands: name -> (help, function adding arguments and returning the runner).
EXTRA_COMMANDS: dict[str, tuple[str, str]] = {
    "coverage": (
        "list which operations of the messaging services simlab serves and tests",
        "simlab.aws.coverage:add_arguments",
    ),
    "quiz": ("drill exam questions in the terminal", "simlab.exam.drill:add_arguments"),
    "room": (
        "watch and steer a workshop room (simlab serve --room N)",
        "simlab.room.cli:add_arguments",
    ),
    "simulate": ("simulate a ready scenario with SimPy", "simlab.sim.cli:add_simulate"),
    "sweep": ("run a scenario grid x seeds on Dask", "simlab.sim.cli:add_sweep"),
}


def build_parser(load: Collection[str] | None = None) -> argparse.ArgumentParser:
    """Builds the ``simlab`` argument parser.

    ``load`` names the extra subcommands whose modules are imported to define their arguments
    (all when None); the others are listed with their help only, so ``simlab --help`` is quick.
    """
    parser = Parser(prog="simlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    serve = commands.add_parser("serve", help="serve the local AWS over HTTP on 127.0.0.1")
    serve.add_argument("--port", type=int, default=5000, help="port (0 = any free port)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default loopback; a room's LAN address)",
    )
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and outcomes")
    serve.add_argument(
        "--clock",
        choices=("live", "manual"),
        default="live",
        help="live: simulated time follows the wall clock (default); manual: it moves only "
        "when POST /simlab/clock says so, and waits let it pass at once",
    )
    serve.add_argument(
        "--speed", type=float, default=1.0, help="live clock: simulated seconds per wall second"
    )
    serve.add_argument("--state", metavar="DIR", help="keep the outbox in DIR across restarts")
    serve.add_argument(
        "--room",
        type=int,
        metavar="N",
        help="a workshop room: N attendee accounts, each with its own access key; unknown keys "
        "are refused",
    )
    serve.add_argument(
        "--room-dir", default="simlab-room", help="where the room's keys and handouts are written"
    )
    serve.add_argument(
        "--public-url", help="the URL attendees reach the room at (handouts; default the bound one)"
    )
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check-env", help="report versions, widgets and the local AWS")
    check.set_defaults(run=_check_env)

    for name, (help_text, target) in EXTRA_COMMANDS.items():
        sub = commands.add_parser(name, help=help_text)
        if load is not None and name not in load:
            continue
        module_name, function_name = target.split(":")
        module = importlib.import_module(module_name)
        add: Callable[[argparse.ArgumentParser], None] = getattr(module, function_name)
        add(sub)
    return parser


#: The exit status of a command stopped with Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``simlab`` command line; Ctrl-C stops any command with one line and status 130."""
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    try:
        args = build_parser(load={chosen} if chosen else set()).parse_args(argv)
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        name = f"simlab {chosen}" if chosen else "simlab"
        # a progress bar or a prompt may hold the line: start a fresh one
        print(f"\n{name}: interrupted (Ctrl-C)", file=sys.stderr, flush=True)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
