#!/usr/bin/env python3
"""A gRPC client that knows schedd's API only through server reflection.

    reflection.py HOST:PORT [KEYWORD]

It has no .proto file and no generated code: it lists the services over
grpc.reflection.v1alpha (the only version Python's grpcio-reflection, Postman and older
grpcurl speak), fetches the descriptors of schedd.v1.JobService from the server, builds a
ListJobsRequest from them, and calls ListJobs. It prints one JSON object on stdout:

    {"services": [...], "jobs": [{"name": ..., ...}, ...]}

and exits 1 on any failure, naming it. Needs grpcio and grpcio-reflection (installed by
scripts/bootstrap into target/tools/venv); exits 3 when they are missing.

Run by schedd-master/tests/embedded.rs against a real master.
"""

import json
import sys

try:
    import grpc
    from google.protobuf import descriptor_pool, json_format, message_factory
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
        ProtoReflectionDescriptorDatabase,
    )
except ImportError as e:
    print(f"reflection.py: {e}: run scripts/bootstrap", file=sys.stderr)
    sys.exit(3)

SERVICE = "schedd.v1.JobService"
METHOD = "ListJobs"
TIMEOUT = 30


def list_services(channel):
    """The service names, asked for with the raw v1alpha stub (one request, one answer)."""
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    names = []
    for response in stub.ServerReflectionInfo(iter([request]), timeout=TIMEOUT):
        if response.HasField("error_response"):
            raise RuntimeError(
                f"list_services: {response.error_response.error_message}"
            )
        names.extend(s.name for s in response.list_services_response.service)
    return names


def call_list_jobs(channel, keyword):
    """Builds the request and response types of ListJobs from reflected descriptors and
    calls it."""
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    method = pool.FindServiceByName(SERVICE).FindMethodByName(METHOD)
    request_type = message_factory.GetMessageClass(method.input_type)
    response_type = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(
        f"/{SERVICE}/{METHOD}",
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString,
    )
    request = request_type()
    # Set by its reflected name: a field this client was never compiled with.
    setattr(request, "keyword", keyword)
    response = call(request, timeout=TIMEOUT)
    return json_format.MessageToDict(response).get("jobs", [])


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    address = argv[1]
    keyword = argv[2] if len(argv) == 3 else ""
    with grpc.insecure_channel(address) as channel:
        try:
            services = list_services(channel)
            jobs = call_list_jobs(channel, keyword)
        except grpc.RpcError as e:
            print(f"reflection.py: {e.code().name}: {e.details()}", file=sys.stderr)
            return 1
        except (KeyError, RuntimeError) as e:
            print(f"reflection.py: {e}", file=sys.stderr)
            return 1
    print(json.dumps({"services": services, "jobs": jobs}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
