"""Model enterprises (示范企业) and benchmarking projects (标杆项目) named through a process:
a nomination (by the authority's reviewers, or the enterprise's own application with a case
summary), scores from several reviewers, the lead reviewer's proposal, a public notice (公示)
and, once it has ended without an upheld or open objection, the designation.

This app sits above ``stages``: it makes the ``stages.Designation`` row through
``apps.stages.services.designation_record`` and nothing else does. ``stages`` never imports
this app; it reads the industry, field and published summary of a designation through the
one-to-one link named ``nomination``.
"""
