import rules

from apps.enterprises.rules import is_admin, is_authority_reviewer, is_lead_reviewer

rules.add_perm("timeline.manage_campaigns", is_admin)
rules.add_perm("timeline.view_obligations", is_admin | is_authority_reviewer)
rules.add_perm("timeline.set_authority_deadline", is_admin | is_lead_reviewer)
rules.add_perm("timeline.grant_extension", is_admin | is_lead_reviewer)
