import Contracts
import Foundation

/// The events one change of an order publishes, derived from the order before and after it.
struct OrderEvents {
    let tenantID: UUID
    let order: OrderRecords.Reference
    let at: Date

    func event(_ change: OrderChange) -> OrderEvent {
        OrderEvent(tenantId: tenantID, orderId: order.id, number: order.number, customerId: order.customerID,
                   branchId: order.branchID, occurredAt: at, change: change)
    }

    /// After items moved: the order's own stage change and what it means, and a changed total.
    func afterChange(_ refresh: OrderRecords.Refresh, workflow: Workflow, reason: String? = nil) -> [OrderEvent] {
        var changes: [OrderChange] = []
        if refresh.stageBefore != refresh.stageAfter {
            changes.append(.stageChanged(from: refresh.stageBefore, to: refresh.stageAfter,
                                         notifies: workflow.notifyingStages.contains(refresh.stageAfter)))
            switch refresh.stageAfter {
            case workflow.readyStage: changes.append(.ready)
            case workflow.deliveredStage: changes.append(.delivered)
            case Workflow.cancelled: changes.append(.cancelled(reason: reason))
            default: break
            }
        }
        if refresh.totalBefore != refresh.totalAfter {
            changes.append(.totalChanged(from: refresh.totalBefore, to: refresh.totalAfter))
        }
        return changes.map(event)
    }
}
