"""The hosted payment page at /pay/{id}: the form, its promotion code field, its visits."""
