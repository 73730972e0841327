"""The "What needs you" list at the top of every dashboard (see assessments/todo.py)."""

from django import template

from assessments.todo import todos_for

register = template.Library()


@register.inclusion_tag("components/what_needs_you.html", takes_context=True)
def what_needs_you(context):
    return {"todos": todos_for(user=context["request"].user)}
