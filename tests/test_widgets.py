"""ui/widgets.py: where the browser gets a product's picture, and how many pages a list fills."""
from dataclasses import replace

import pytest

from lib.config.settings import ROOT
from ui.widgets import page_count, picture, served_url


def test_a_shipped_picture_is_its_static_folder_url(shipped_catalog):
    catalog = shipped_catalog("INR")
    product = catalog.products[0]
    assert picture(catalog, product) == f"/app/static/products/{product.image}"
    assert served_url(catalog, product) == picture(catalog, product)
    assert (ROOT / "static" / "products" / product.image).is_file()


def test_a_picture_outside_the_served_folder_is_its_file(shipped_catalog, tmp_path):
    """A catalog whose pictures live elsewhere is not served at /app/static: st.image gets the
    file, which it inlines."""
    catalog = replace(shipped_catalog("INR"), images_dir=tmp_path)
    product = catalog.products[0]
    assert picture(catalog, product) == str(tmp_path / product.image)
    assert served_url(catalog, product) is None  # so the card falls back to st.image


@pytest.mark.parametrize("total, pages", [(0, 1), (1, 1), (12, 1), (13, 2), (24, 2), (25, 3)])
def test_page_count_rounds_up_and_is_never_zero(total, pages):
    assert page_count(total, 12) == pages
