"""Conditions on a page, as JavaScript expressions the benchmark's in-page clock watches: the shop's
grid, a toast, a heading, the hosted page's Pay button, the bare app's button."""
from __future__ import annotations

import json


def js_text(text: str) -> str:
    """text as a JavaScript string literal."""
    return json.dumps(text)


def main_has(text: str) -> str:
    """The main area's text contains text."""
    return f"(document.querySelector('[data-testid=stMain]')?.textContent||'').includes({js_text(text)})"


def heading(text: str) -> str:
    """A level-1 heading contains text."""
    return f"[...document.querySelectorAll('h1')].some(h => h.textContent.includes({js_text(text)}))"


def element_has(selector: str, text: str) -> str:
    """Some element matching selector contains text."""
    return (f"[...document.querySelectorAll({js_text(selector)})]"
            f".some(e => e.textContent.includes({js_text(text)}))")


GRID = """(() => { const m = document.querySelector('[data-testid=stMain]'); if (!m) return false;
  const imgs = [...m.querySelectorAll('img')];
  const adds = [...m.querySelectorAll('button')].filter(b => b.textContent.includes('Add to basket'));
  return imgs.length >= 12 && adds.length >= 12 && imgs.every(i => i.complete && i.src); })()"""
BARE_READY = element_has("button", "Show a toast")
HOSTED = "[...document.querySelectorAll('button')].some(b => /^Pay /.test(b.textContent.trim()))"
