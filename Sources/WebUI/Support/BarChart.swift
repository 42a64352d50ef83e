import Foundation
import Kernel

/// A bar chart drawn by the server as inline SVG: no script, no library, readable by a screen
/// reader (a title, and each bar's label and value as text).
struct BarChart {
    struct Bar {
        let label: String
        let value: Int
        /// The value as shown (`1.250,00 ₺`).
        let shown: String
    }

    let title: String
    let bars: [Bar]

    /// Vertical bars, one per entry, scaled to the largest value.
    var svg: String {
        let width = 640, height = 240, top = 24, bottom = 40, left = 8
        let slot = bars.isEmpty ? 0 : (width - left * 2) / bars.count
        let barWidth = max(8, slot * 3 / 5)
        let largest = max(1, bars.map(\.value).max() ?? 1)
        var parts: [String] = []
        for (index, bar) in bars.enumerated() {
            let x = left + index * slot + (slot - barWidth) / 2
            let barHeight = Int((Double(max(0, bar.value)) / Double(largest) * Double(height - top - bottom)).rounded())
            let y = height - bottom - barHeight
            parts.append("""
                <g><rect x="\(x)" y="\(y)" width="\(barWidth)" height="\(barHeight)" rx="3" class="bar"><title>\(MarkupText.escaped(bar.label)): \(MarkupText.escaped(bar.shown))</title></rect>\
                <text x="\(x + barWidth / 2)" y="\(max(12, y - 6))" text-anchor="middle" class="value">\(MarkupText.escaped(bar.shown))</text>\
                <text x="\(x + barWidth / 2)" y="\(height - bottom + 18)" text-anchor="middle" class="label">\(MarkupText.escaped(bar.label))</text></g>
                """)
        }
        return """
            <svg class="chart" viewBox="0 0 \(width) \(height)" role="img" aria-label="\(MarkupText.escaped(title))" xmlns="http://www.w3.org/2000/svg">\
            <title>\(MarkupText.escaped(title))</title>\
            <line x1="0" y1="\(height - bottom)" x2="\(width)" y2="\(height - bottom)" class="axis"/>\(parts.joined())</svg>
            """
    }
}
