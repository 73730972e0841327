"""The on-site supervisor's dashboard body (see assessments/supervisor_desk.py)."""

from django import template

from assessments.supervisor_desk import finished_placements, supervised_placements

register = template.Library()


@register.inclusion_tag("components/supervisor_desk.html", takes_context=True)
def supervisor_desk(context):
    user = context["request"].user
    return {
        "rows": supervised_placements(user=user),
        "finished": finished_placements(user=user),
    }
