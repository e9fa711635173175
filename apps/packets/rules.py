"""Who may do what with packets. Objects: an Authority or a PacketBundle (bundles), a
Packet (retry)."""

import rules

from apps.enterprises.rules import is_admin, is_lead_reviewer

# Bundles are an authority's own work: only its lead reviewers ask for, watch and download
# them (is_lead_reviewer reads the authority of a bundle from its authority_id).
# Administrators retry failed packets; they do not collect an authority's archive.
rules.add_perm("packets.bundle", is_lead_reviewer)
rules.add_perm("packets.retry", is_admin)
