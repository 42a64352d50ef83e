import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Customer cards and their search (F1, F2), and the tenant's customer types.
struct CustomersController {
    let kernel: Kernel
    let settings: APISettings

    func addRoutes(to api: RouterGroup<UserRequestContext>) {
        api.get("customer-types") { _, context in
            try JSONBody.response(Items(try await kernel.customerTypes.list(context.principal)))
        }
        api.post("customer-types") { request, context in
            let input = try await JSONBody.decode(NewCustomerType.self, from: request, limit: settings.maximumBodyBytes)
            return try JSONBody.response(try await kernel.customerTypes.create(input, by: context.principal), status: .created)
        }
        api.get("customers") { request, context in
            let query = CustomerService.Query(
                text: request.query("q"),
                customerType: request.query("customerType"),
                branchID: try request.queryUUID("branchId")
            )
            let page = try PageRequest(limit: try request.queryInt("limit"), cursor: request.queryGiven("cursor"))
            return try JSONBody.response(try await kernel.customers.list(query, page: page, by: context.principal))
        }
        api.post("customers") { request, context in
            let draft = try await JSONBody.decode(CustomerDraft.self, from: request, limit: settings.maximumBodyBytes, nullable: CustomerDraft.nullableFields)
            let customer = try await kernel.customers.create(draft, by: context.principal)
            return try JSONBody.response(customer, status: .created, headers: [
                .eTag: entityTag(customer.version), .location: "/api/v1/customers/\(customer.id.uuidString.lowercased())",
            ])
        }
        api.get("customers/:id") { _, context in
            let customer = try await kernel.customers.get(try context.id(of: "The customer"), by: context.principal)
            return try JSONBody.response(customer, headers: [.eTag: entityTag(customer.version)])
        }
        api.patch("customers/:id") { request, context in
            let id = try context.id(of: "The customer")
            let expected = try request.ifMatchVersion()
            let patch = try await JSONBody.decode(CustomerPatch.self, from: request, limit: settings.maximumBodyBytes, nullable: CustomerDraft.nullableFields)
            let customer = try await kernel.customers.update(id, patch, expectedVersion: expected, by: context.principal)
            return try JSONBody.response(customer, headers: [.eTag: entityTag(customer.version)])
        }
        api.delete("customers/:id") { request, context in
            try await kernel.customers.delete(try context.id(of: "The customer"), expectedVersion: try request.ifMatchVersion(), by: context.principal)
            return Response(status: .noContent)
        }
    }
}
