def unread_count(request):
    """Unread in-app notifications for the bell in the header (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        from notifications.selectors import unread_count_for
    except ImportError:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count_for(user)}
