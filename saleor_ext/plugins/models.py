from __future__ import annotations

from django.db import models


class PluginConfiguration(models.Model):
    """Stored configuration of a plugin, globally (``channel`` null) or for one channel."""

    identifier = models.CharField(max_length=128)
    name = models.CharField(max_length=128)
    channel = models.ForeignKey("channel.Channel", blank=True, null=True, on_delete=models.CASCADE)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=False)
    configuration = models.JSONField(blank=True, default=list)

    class Meta:
        unique_together = [("identifier", "channel")]
        permissions = (("manage_plugins", "Manage plugins"),)

    def __str__(self) -> str:
        return f"{self.identifier} ({self.channel or 'global'})"
