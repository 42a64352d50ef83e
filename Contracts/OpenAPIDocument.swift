/// The HTTP contract, `Contracts/openapi.yaml`, compiled into the binary so that the server can serve
/// it at `/api/v1/openapi.yaml` wherever it runs.
public enum OpenAPIDocument {
    public static var yaml: String {
        String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
    }
}
