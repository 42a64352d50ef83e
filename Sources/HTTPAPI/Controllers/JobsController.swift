import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The operator's view of the job queue: depths per queue and state, jobs, retry / cancel / discard.
struct JobsController {
    let kernel: Kernel

    func addRoutes(to api: RouterGroup<OperatorRequestContext>) {
        api.get("queues") { _, _ in
            try JSONBody.response(try await kernel.jobs.stats())
        }
        api.get("jobs") { request, _ in
            try JSONBody.response(Items(try await kernel.jobs.list(state: request.queryGiven("state"), queue: request.query("queue"),
                                                                    limit: try request.queryInt("limit") ?? 100)))
        }
        api.get("jobs/:id") { _, context in
            try JSONBody.response(try await kernel.jobs.get(try jobID(context)))
        }
        for action in [JobAdministration.Action.retry, .cancel, .discard] {
            api.post("jobs/:id/\(action.rawValue)") { _, context in
                try JSONBody.response(try await kernel.jobs.perform(action, on: try jobID(context), by: context.operatorPrincipal))
            }
        }
    }

    private func jobID(_ context: OperatorRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text) else { throw DomainError.notFound("The job") }
        return id
    }
}
