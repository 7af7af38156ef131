import logging

import pytest

from dockermap.client.base import StreamReader, normalize_base_url
from dockermap.exceptions import DockerStatusError


class RecordingClient:
    """Stands in for DockerClientWrapper: records what the stream reader reports."""

    def __init__(self):
        self.logged = []
        self.progress = []

    def push_log(self, info, level, *args):
        self.logged.append((level, info % args if args else info))

    def push_progress(self, status, object_id, progress):
        self.progress.append((status, object_id, progress))


CLASSIC_BUILD = [
    {"stream": "Step 1/2 : FROM busybox:latest"},
    {"stream": "\n"},
    {"stream": " ---> ed046326c8a0\n"},
    {"stream": "Step 2/2 : RUN echo hi"},
    {"stream": "\n ---> Running in 5acf8386ac5c\nhi\n"},
    {"stream": " ---> 5d1a97440b30\n"},
    {"aux": {"ID": "sha256:5d1a97440b300ad94d78db81611ee8195f93130c99a28542fb717bb430cf9b4a"}},
    {"stream": "Successfully built 5d1a97440b30\n"},
]


def test_build_stream_lines_and_aux_id():
    client = RecordingClient()
    result = StreamReader(client, "Building").read(CLASSIC_BUILD, raise_on_error=True)
    assert result.image_id == "sha256:5d1a97440b300ad94d78db81611ee8195f93130c99a28542fb717bb430cf9b4a"
    assert result.error is None
    assert client.logged == [
        (logging.INFO, "Step 1/2 : FROM busybox:latest"),
        (logging.INFO, " ---> ed046326c8a0"),
        (logging.INFO, "Step 2/2 : RUN echo hi"),
        (logging.INFO, " ---> Running in 5acf8386ac5c"),
        (logging.INFO, "hi"),
        (logging.INFO, " ---> 5d1a97440b30"),
        (logging.INFO, "Successfully built 5d1a97440b30"),
    ]


def test_successfully_built_line_without_aux():
    chunks = [{"stream": "Successfully built 0123abcd\n"}]
    assert StreamReader(RecordingClient(), "Building").read(chunks, True).image_id == "0123abcd"


def test_lines_are_reported_as_they_arrive():
    client = RecordingClient()
    reader = StreamReader(client, "Building")

    def chunks():
        yield {"stream": "first\nsec"}
        assert client.logged == [(logging.INFO, "first")]
        yield {"stream": "ond\n"}
        assert client.logged[-1] == (logging.INFO, "second")
        yield {"stream": "no line break at the end"}

    reader.read(chunks(), True)
    assert client.logged[-1] == (logging.INFO, "no line break at the end")


def test_error_raises_with_last_output_lines():
    chunks = [
        {"stream": " ---> Running in 83789a262004\n"},
        {"stream": "\x1b[91mboom-detail\n\x1b[0m"},
        {"error": "The command returned a non-zero code: 3", "errorDetail": {"code": 3, "message": "x"}},
        {"stream": "never read\n"},
    ]
    client = RecordingClient()
    with pytest.raises(DockerStatusError) as raised:
        StreamReader(client, "Building image 'web'").read(chunks, raise_on_error=True)
    assert str(raised.value) == (
        "Building image 'web' failed: The command returned a non-zero code: 3\n"
        "Last output:\n"
        "   ---> Running in 83789a262004\n"
        "  boom-detail"
    )
    assert raised.value.detail == {"code": 3}
    assert client.logged[-1] == (logging.ERROR, "The command returned a non-zero code: 3")


def test_error_without_raise_is_recorded_and_reading_continues():
    chunks = [{"error": "denied", "errorDetail": {"message": "denied"}}, {"status": "after"}]
    client = RecordingClient()
    result = StreamReader(client, "Pushing").read(chunks, raise_on_error=False)
    assert result.error == "denied"
    assert result.error_detail == {"message": "denied"}
    assert client.logged == [(logging.ERROR, "denied"), (logging.INFO, "after")]


def test_status_records_go_to_progress_or_log():
    chunks = [
        {"status": "The push refers to repository [localhost:5000/web]"},
        {"status": "Pushing", "progressDetail": {}, "progress": "[==>  ] 1MB/2MB", "id": "265fae6de441"},
        {"status": "Pushed", "progressDetail": {}, "id": "265fae6de441"},
        {"progressDetail": {}, "aux": {"Tag": "v1", "Digest": "sha256:cbd2", "Size": 1149}},
    ]
    client = RecordingClient()
    result = StreamReader(client, "Pushing").read(chunks, True)
    assert client.progress == [
        ("Pushing", "265fae6de441", "[==>  ] 1MB/2MB"),
        ("Pushed", "265fae6de441", ""),
    ]
    assert client.logged == [(logging.INFO, "The push refers to repository [localhost:5000/web]")]
    assert result.image_id is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("unix://var/run/docker.sock", "unix:///var/run/docker.sock"),
        ("unix:///var/run/docker.sock", "unix:///var/run/docker.sock"),
        ("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375"),
        (None, None),
    ],
)
def test_normalize_base_url(url, expected):
    assert normalize_base_url(url) == expected
