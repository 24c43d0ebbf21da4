"""Input widgets whose markup, all but the value, is built once per process for each field and set of attributes.

WTForms builds and escapes every attribute of an input on every call (and lists the field's flags with dir()): the
search form's four inputs cost about 0.3 ms of each results page (bench/LOAD.md). These widgets give the same bytes:
the first call renders the input through WTForms with a placeholder value, later calls put the escaped value in its
place.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets

_SLOT = "\x00value\x00"  # never in a rendered attribute: escaping leaves it as it is, so it marks the value's place
_MAX_SHAPES = 1024  # fields × the attribute sets templates pass (e.g. aria_invalid): a handful in practice


class _Memoized:
    _shapes: dict[tuple, tuple[Markup, Markup]] = {}

    def __call__(self, field, **kwargs):
        value = kwargs.pop("value", None)
        flags = getattr(field, "flags", None)
        try:
            key = (self, field.id, field.name, getattr(field, "_datalist", None),
                   tuple(sorted(vars(flags).items())) if flags is not None else (), tuple(sorted(kwargs.items())))
            shape = self._shapes.get(key)
        except TypeError:  # an unhashable attribute value: render it the plain way
            return super().__call__(field, **kwargs, **({} if value is None else {"value": value}))
        if shape is None:
            if len(self._shapes) >= _MAX_SHAPES:
                self._shapes.clear()
            before, _, after = super().__call__(field, value=_SLOT, **kwargs).partition(_SLOT)
            shape = self._shapes[key] = (before, after)
        if value is None:
            value = field._value()
        if value is True or value is False:  # WTForms writes a bare attribute or none: not a value to place
            return super().__call__(field, value=value, **kwargs)
        return shape[0] + escape(value) + shape[1]


class SearchInput(_Memoized, widgets.SearchInput):
    pass


class HiddenInput(_Memoized, widgets.HiddenInput):
    pass


class NumberInput(_Memoized, widgets.NumberInput):
    pass
