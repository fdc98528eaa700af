"""Setup check: every setting and service with a green/amber/red verdict and, for problems, the fix."""
import streamlit as st

from lib.config.redaction import redact_paths
from lib.setup_check import AMBER, GREEN, RED, Check, run_all
from lib.shop.catalog import CatalogError
from lib.stores.errors import StoreError
from ui import cached_services, presenter_gate
from ui.frame import presenter_frame

MARKERS = {GREEN: ":green[:material/check_circle:]", AMBER: ":orange[:material/warning:]",
           RED: ":red[:material/cancel:]"}


def show(check: Check) -> None:
    """One check: marker, name and what was found, then the fix."""
    with st.container(border=True):
        # The page may be seen by others (a workshop's learners): no file paths of this machine.
        st.markdown(f"{MARKERS[check.status]} **{check.name}**: {redact_paths(check.message)}")
        if check.fix:
            st.caption(f"Fix: {redact_paths(check.fix)}")


presenter_frame(allow_broken=True)
st.title("Setup check")
st.caption("Every setting and service this shop needs. The same list is printed by "
           "`python run.py check`.")
st.button("Check again", icon=":material/refresh:")

# The gate above stays closed when the settings do not load (their problems go to the terminal
# and to `python run.py check`), so here they load, unless they changed in between.
settings = presenter_gate.loaded_settings()
if settings is None:
    st.stop()

try:
    svc = cached_services.services()
except (CatalogError, StoreError):
    svc = None  # the checks below build what they need and say what is broken

if svc and settings.catalog_source == "stripe":
    # CATALOG_SOURCE=stripe: the shop re-reads Stripe after CATALOG_TTL; this reads it now.
    if st.button("Reload the catalog from Stripe", icon=":material/sync:", key="reload_catalog"):
        st.toast(f"Catalog reloaded: {len(svc.catalogs.refresh().products)} products.",
                 icon=":material/sync:")
    st.caption(f"Products and prices come from Stripe, re-read every {settings.catalog_ttl} s.")

with st.spinner("Checking..."):
    # The app's own clients and stores when they could be built; run_all makes the rest.
    checks = run_all(settings, store=svc.orders if svc else None,
                     catalog=svc.catalog if svc else None,
                     stripe_client=svc.stripe if svc else None,
                     event_log=svc.webhook_log if svc else None, served_url=st.context.url or "")
counts = {status: sum(c.status == status for c in checks) for status in MARKERS}
if counts[RED]:
    st.error(f"{counts[RED]} problem(s) to fix; each says how.", icon=":material/cancel:")
elif counts[AMBER]:
    st.warning("Working, with notes below.", icon=":material/warning:")
else:
    st.success("Everything is set up.", icon=":material/check_circle:")
for check in checks:
    show(check)
