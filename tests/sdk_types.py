"""Checks a sandbox answer against the pinned SDK's own types: every field it returns, at every depth,
is one the SDK's class for that object declares."""
from __future__ import annotations

import typing

import stripe
from stripe._stripe_object import UntypedStripeObject

LIST_FIELDS = {"object", "data", "has_more", "url"}


def object_classes(annotation) -> list[type]:
    """The SDK classes an annotation names (Optional, Union, List and ListObject opened; forward
    references looked up in the stripe package); free-form hashes such as metadata name none."""
    if isinstance(annotation, typing.ForwardRef):
        annotation = getattr(stripe, annotation.__forward_arg__, None)
    if isinstance(annotation, type):
        if issubclass(annotation, UntypedStripeObject) or not issubclass(annotation, stripe.StripeObject):
            return []
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found.extend(object_classes(arg))
    origin = typing.get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, UntypedStripeObject):
        return []
    return found


def undeclared_fields(data, cls: type, path: str = "") -> list[str]:
    """Dotted paths of the fields in data (a dict, or a list of them) that cls does not declare."""
    if isinstance(data, list):
        return [p for i, item in enumerate(data) for p in undeclared_fields(item, cls, f"{path}[{i}]")]
    if not isinstance(data, dict):
        return []
    if data.get("object") == "list" and "data" in data:
        extra = [f"{path}.{key}" for key in data if key not in LIST_FIELDS]
        return extra + undeclared_fields(data["data"], cls, f"{path}.data")
    declared = cls.__annotations__
    missing = []
    for key, value in data.items():
        where = f"{path}.{key}" if path else key
        if key not in declared:
            missing.append(where)
            continue
        for inner in object_classes(declared[key])[:1]:
            missing.extend(undeclared_fields(value, inner, where))
    return missing
