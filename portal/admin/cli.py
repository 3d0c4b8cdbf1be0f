"""`python -m portal admin add-user|remove-user|set-password NAME`; passwords from standard input.

With a terminal the password is asked twice without echo; from a pipe the first line is read
(`printf '%s\\n' "$PASSWORD" | python -m portal admin add-user wang`).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from portal.config import load_config

from .users import UserError, Users


def read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再输入一次：") != first:
            raise UserError("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description="法治报告检索：管理")
    area = parser.add_subparsers(dest="area", required=True)
    admin = area.add_parser("admin", help="管理员账号（密码从标准输入读取）")
    commands = admin.add_subparsers(dest="command", required=True)
    for name, text in (
        ("add-user", "新建管理员"),
        ("remove-user", "删除管理员（其登录随即失效）"),
        ("set-password", "修改密码（其他登录随即失效）"),
    ):
        commands.add_parser(name, help=text).add_argument("name")
    commands.add_parser("list-users", help="列出管理员")
    args = parser.parse_args(argv)
    users = Users(load_config({"SECRET_KEY": "-"})["ADMIN_DIR"])
    try:
        if args.command == "list-users":
            print("\n".join(users.names()) or "（还没有管理员）")
        elif args.command == "remove-user":
            users.remove(args.name)
            print(f"已删除管理员 {args.name}")
        elif args.command == "add-user":
            users.add(args.name, read_password())
            print(f"已新建管理员 {args.name}（账号保存在 {users.path}）")
        else:
            users.set_password(args.name, read_password())
            print(f"已修改 {args.name} 的密码")
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0
