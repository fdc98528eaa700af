"""The shared API mechanism every resource uses: keys, versions, errors, form params, lists, ids."""
