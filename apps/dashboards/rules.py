"""Who sees the dashboards. The views fetch the authority through the scoped helper first
(a 404 outside it); these say what its members may see."""

import rules

from apps.enterprises.rules import is_admin, is_authority_reviewer

# Object: the authority whose dashboard is shown.
rules.add_perm("dashboards.view_authority_dashboard", is_admin | is_authority_reviewer)
# Object: the SASAC authority. Its reviewers see national counts and rates, never another
# authority's enterprises or filings.
rules.add_perm("dashboards.view_national_overview", is_admin | is_authority_reviewer)
