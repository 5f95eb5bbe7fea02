import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    id: view
    spacing: Theme.gap * 0.6
    readonly property var d: ordering.draft

    function slotText(day, part) {
        const days = { today: qsTr("今天"), tomorrow: qsTr("明天"), any: qsTr("哪天都可以") }
        const parts = { morning: qsTr("上午"), afternoon: qsTr("下午"), any: qsTr("时间都可以") }
        return days[day] + " " + parts[part]
    }

    Repeater {
        model: [
            { label: qsTr("服务"), value: shell.pick(ordering.service.name) },
            { label: qsTr("联系电话"), value: view.d.phone },
            { label: qsTr("称呼"), value: view.d.surname + view.d.title },
            { label: qsTr("被服务人电话"), value: view.d.for_other ? view.d.beneficiary_phone : "" },
            { label: qsTr("服务地址"), value: view.d.at_home ? view.d.address_line : "" },
            { label: qsTr("时间"), value: view.slotText(view.d.day, view.d.part) },
            { label: qsTr("补充"), value: view.d.note }
        ]
        delegate: RowLayout {
            required property var modelData
            Layout.fillWidth: true
            visible: modelData.value.length > 0
            spacing: Theme.gap
            Text {
                Layout.preferredWidth: Theme.fontBody * 6
                text: parent.modelData.label
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
            }
            Text {
                Layout.fillWidth: true
                text: parent.modelData.value
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
    }
    Text {
        objectName: "printerWarning"
        Layout.fillWidth: true
        visible: ordering.printerWarning !== "" && ordering.printerWarning !== "ok"
                 && ordering.printerWarning !== "near_end"
        text: qsTr("打印机暂时不能打印小票。您仍然可以提交，提交后请用手机拍下屏幕上的二维码。")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        wrapMode: Text.WordWrap
    }
    ProblemText {
        Layout.fillWidth: true
        code: ordering.problem
    }
    Item { Layout.fillHeight: true }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: ordering.busy
        visible: ordering.busy
    }
    KioskButton {
        objectName: "submitButton"
        Layout.fillWidth: true
        primary: true
        enabled: !ordering.busy
        text: ordering.busy ? qsTr("正在提交…") : qsTr("确认提交")
        onClicked: ordering.submit()
    }
}
