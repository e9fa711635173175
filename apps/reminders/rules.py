import rules

from apps.enterprises.rules import is_admin

rules.add_perm("reminders.manage_rules", is_admin)
