"""The click options of :data:`aqb_rdf.config.SETTINGS`, generated, and the Settings they give.

``@settings_options("serve")`` adds one option for every setting the command has, with the
help, default, range and ``AQB_*`` variable of the table (click reads the variable when the
option is not given), and passes the command one :class:`~aqb_rdf.config.Settings` as
``settings``. A malformed value ends the command with one line naming the option or the
variable it came from, and exit status 1. A ``--base`` that is not an IRI keeps click's usage
error (exit status 2).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import click
from click.core import ParameterSource

from aqb_rdf.config import SETTINGS, Setting, commands_of, settings_for
from aqb_rdf.errors import AqbError

F = TypeVar("F", bound=Callable[..., Any])


# Both bases keep the same one-line message; click declares it Final, AqbError does not.
class SettingValueError(AqbError, click.ClickException):  # type: ignore[misc]
    """A setting's value is malformed: one line on stderr, exit status 1 (click shows it)."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"aqb-rdf: error: {self.format_message()}", err=True)


class SettingOption(click.Option):
    """An option of a setting: a value click cannot convert is a :class:`SettingValueError`."""

    def __init__(self, *args: Any, setting: Setting[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting = setting

    def type_cast_value(self, ctx: click.Context, value: Any) -> Any:
        try:
            return super().type_cast_value(ctx, value)
        except click.BadParameter:
            source = ctx.get_parameter_source(self.name or "")
            where = self.setting.where(source is ParameterSource.ENVIRONMENT)
            raise SettingValueError(
                f"{where}: {str(value)!r} is not {self.setting.expected}"
            ) from None


def _click_type(setting: Setting[Any]) -> click.ParamType[Any]:
    low = setting.minimum
    high = setting.maximum
    if setting.choices:
        return click.Choice(setting.choices)
    if setting.kind is Path:
        return click.Path(exists=True, file_okay=False, path_type=Path)
    if setting.kind is int:
        return click.IntRange(
            None if low is None else int(low), None if high is None else int(high)
        )
    if setting.kind is float:
        return click.FloatRange(low, high)
    return click.STRING


def _checked(
    check: Callable[[str], str],
) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is None:  # not given, and the setting has no default
            return None
        try:
            return check(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return callback


def setting_option(setting: Setting[Any]) -> Callable[[F], F]:
    """The click option of ``setting``; its parameter is named after the setting's attribute."""
    if setting.option is None or setting.secret:
        raise ValueError(f"setting {setting.name} has no command-line option")
    return click.option(
        setting.option,
        setting.attribute,
        cls=SettingOption,
        setting=setting,
        type=_click_type(setting),
        default=setting.default,
        envvar=setting.envvar,
        show_envvar=setting.envvar is not None,
        show_default=setting.default_text or setting.default is not None,
        callback=_checked(setting.check) if setting.check else None,
        help=setting.help,
    )


def settings_options(command: str) -> Callable[[F], F]:
    """The options of every setting ``command`` has, in the table's order; the command gets
    the :class:`~aqb_rdf.config.Settings` they give as its ``settings`` argument."""
    chosen = [s for s in SETTINGS if s.option and not s.secret and command in commands_of(s)]
    names = [s.attribute for s in chosen]
    if len(set(names)) != len(names):
        raise ValueError(f"{command}: two settings share a parameter name: {names}")

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {s.name: kwargs.pop(s.attribute) for s in chosen}
            return function(*args, settings=settings_for(command, values), **kwargs)

        decorated: Callable[..., Any] = wrapper
        for setting in reversed(chosen):
            decorated = setting_option(setting)(decorated)
        return cast(F, decorated)

    return decorate
