"""What a failed run says about a volume whose data was being copied."""

from __future__ import annotations

from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action
from dockermap.map.runner.base import describe_progress


def test_failure_after_the_backup_says_where_the_data_is():
    config_id = MapConfigId(ItemType.VOLUME, "m", "web", "data")
    action = Action("__default__", "create", ItemType.VOLUME, config_id, "m.data", "x")
    assert describe_progress(action, ["backup", "remove"]) == (
        "The data of the volume m.data is in volume m.data.dockermap-copy; the next update with "
        "recreate_volumes='copy' copies it back."
    )
    assert describe_progress(action, ["backup", "remove", "create", "restore"]).startswith("Already done")
