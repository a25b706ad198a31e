"""SNS deliveries to SQS as the tests read them: a queue to subscribe, draining it, and the
check of an SNS signature."""

import base64

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding


def make_queue(aws, name):
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, arn["QueueArn"]


def raw_queue_for(aws, topic, name):
    """A new queue ``name`` subscribed to ``topic`` with raw message delivery; its URL."""
    url, arn = make_queue(aws, name)
    aws.client("sns").subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"}
    )
    return url


def drain(aws, url):
    sqs = aws.client("sqs")
    messages = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    ).get("Messages"):
        messages += batch
        for m in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return messages


def string(value):
    return {"DataType": "String", "StringValue": value}


NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
CONFIRMATION_FIELDS = [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
]


def verify(envelope, pem, names=NOTIFICATION_FIELDS):
    """Checks an SNS signature the way SNS's own verification recipe does."""
    text = "".join(f"{n}\n{envelope[n]}\n" for n in names if n in envelope)
    key = x509.load_pem_x509_certificate(pem).public_key()
    key.verify(
        base64.b64decode(envelope["Signature"]), text.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
