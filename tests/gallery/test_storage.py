"""Media on an S3-compatible object storage: a real S3 HTTP endpoint (moto's server) started by the suite.

boto3 and django-storages talk HTTP to it as they would to a French host's object storage; nothing is patched.
"""

import io
import json
import urllib.request

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from PIL import Image

from civic.env import media_storage_from_env
from gallery import services
from tests.gallery.conftest import gps_exif, image_bytes, upload_file
from wiki import markup

BUCKET = "quartiers-media"
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "test-key", "MEDIA_S3_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="eu-west-3",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    # Public reads, as README.md asks of the operator: the pages link to the files directly.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_media(s3_endpoint, settings):
    endpoint, client = s3_endpoint
    environ = {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": endpoint, "MEDIA_S3_REGION": "eu-west-3", **KEYS}
    environ["MEDIA_S3_PREFIX"] = "media"
    storage, media_url = media_storage_from_env(environ, debug=True)  # http endpoint: allowed only in DEBUG
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url
    return endpoint, client


@pytest.mark.django_db
def test_a_photo_and_its_renditions_live_in_the_bucket(s3_media, resident):
    endpoint, client = s3_media
    upload = services.Upload(file=upload_file(content=image_bytes(exif=gps_exif())), alt_text="Quai", credit="N")
    photo = services.upload_photo(resident, upload)

    assert default_storage.__class__.__name__ == "S3Storage"
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"media/{photo.image.file.name}" in keys
    stored = client.get_object(Bucket=BUCKET, Key=f"media/{photo.image.file.name}")["Body"].read()
    assert not Image.open(io.BytesIO(stored)).getexif()  # stripped before it reached the bucket

    html = str(markup.render(photo.markdown))
    src = html.split('src="', 1)[1].split('"', 1)[0]
    assert src.startswith(f"{endpoint}/{BUCKET}/media/images/") and src.endswith(".webp")
    with urllib.request.urlopen(src, timeout=10) as response:  # noqa: S310 - the local test endpoint
        assert Image.open(io.BytesIO(response.read())).format == "WEBP"
    rendition = photo.image.get_rendition("width-320|format-webp")
    with default_storage.open(rendition.file.name) as file:
        assert Image.open(file).width == 320


def test_no_bucket_means_media_root():
    assert media_storage_from_env({}, debug=False) is None


def test_production_refuses_an_incomplete_configuration():
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_SECRET_ACCESS_KEY is not set"):
        media_storage_from_env(
            {
                "MEDIA_S3_BUCKET": "b",
                "MEDIA_S3_ENDPOINT_URL": "https://s3.fr-par.example",
                "MEDIA_S3_ACCESS_KEY_ID": "k",
            },
            debug=False,
        )
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_BUCKET is not"):
        media_storage_from_env({"MEDIA_S3_ENDPOINT_URL": "https://s3.example"}, debug=False)
    with pytest.raises(ImproperlyConfigured, match="http"):
        media_storage_from_env({"MEDIA_S3_BUCKET": "b", "MEDIA_S3_ENDPOINT_URL": "http://s3.example", **KEYS}, False)


def test_a_custom_domain_is_the_media_url():
    environ = {"MEDIA_S3_BUCKET": "b", "MEDIA_S3_CUSTOM_DOMAIN": "media.ville.fr", **KEYS}
    storage, media_url = media_storage_from_env(environ, debug=False)
    assert media_url == "https://media.ville.fr/"
    assert storage["OPTIONS"]["querystring_auth"] is False
