import QtQuick

// Online / printer / scanner state and the time, always at the top edge.
Rectangle {
    id: strip
    height: Theme.stripHeight
    color: Theme.secondary

    function cloudText(state) {
        switch (state) {
        case "online": return qsTr("已联网")
        case "degraded": return qsTr("网络不稳定")
        case "offline": return qsTr("离线（数据会自动补传）")
        default: return qsTr("正在连接")
        }
    }
    function printerText(state) {
        switch (state) {
        case "ok": return qsTr("打印机正常")
        case "near_end": return qsTr("打印纸将用完")
        case "paper_out": return qsTr("打印机缺纸")
        case "cover_open": return qsTr("打印机盖未关")
        case "offline": return qsTr("打印机未连接")
        case "not_configured": return qsTr("未配置打印机")
        case "error": return qsTr("打印机故障")
        default: return qsTr("打印机检查中")
        }
    }
    function scannerText(state) {
        switch (state) {
        case "ok": return qsTr("扫码正常")
        case "missing": return qsTr("扫码器未连接")
        case "not_configured": return qsTr("未配置扫码器")
        default: return qsTr("扫码器检查中")
        }
    }
    function good(state) { return state === "online" || state === "ok" }

    Row {
        anchors { left: parent.left; leftMargin: Theme.gap; verticalCenter: parent.verticalCenter }
        spacing: Theme.gap * 1.5
        Repeater {
            model: [
                { name: "cloudStatus", text: strip.cloudText(shell.cloudState), good: strip.good(shell.cloudState) },
                { name: "printerStatus", text: strip.printerText(shell.printerState), good: strip.good(shell.printerState) },
                { name: "scannerStatus", text: strip.scannerText(shell.scannerState), good: strip.good(shell.scannerState) }
            ]
            delegate: Row {
                required property var modelData
                spacing: Theme.gap / 3
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: Theme.fontSmall * 0.6; height: width; radius: width / 2
                    color: parent.modelData.good ? "#7CE08A" : "#FFB74D"
                }
                Text {
                    objectName: parent.modelData.name
                    text: parent.modelData.text
                    color: "#FFFFFF"
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
    Text {
        id: clock
        anchors { right: parent.right; rightMargin: Theme.gap; verticalCenter: parent.verticalCenter }
        color: "#FFFFFF"
        font.pixelSize: Theme.fontSmall
        font.bold: true
        text: Qt.formatTime(new Date(), "hh:mm")
        Timer {
            interval: 15000; running: true; repeat: true
            onTriggered: clock.text = Qt.formatTime(new Date(), "hh:mm")
        }
    }
}
