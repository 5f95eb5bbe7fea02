import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// Building / unit / room from the station's address book, or a typed address.
ColumnLayout {
    id: view
    spacing: Theme.gap * 0.6
    readonly property var book: catalogue.addressBook
    property bool typed: book.length === 0 || ordering.draft.address_text.length > 0
    property string building: ordering.draft.building
    property string unit: ordering.draft.unit
    readonly property var units: {
        for (let i = 0; i < book.length; ++i)
            if (book[i].building === building)
                return book[i].units
        return []
    }

    Text {
        Layout.fillWidth: true
        text: qsTr("服务地址")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        visible: !view.typed
        text: qsTr("请选择楼栋、单元，再输入房号")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Flow {
        Layout.fillWidth: true
        visible: !view.typed
        spacing: Theme.gap / 2
        Repeater {
            model: view.book
            delegate: Chip {
                required property var modelData
                required property int index
                objectName: "building_" + index
                text: modelData.building
                checked: view.building === modelData.building
                onClicked: { view.building = modelData.building; view.unit = "" }
            }
        }
    }
    Flow {
        Layout.fillWidth: true
        visible: !view.typed && view.units.length > 0
        spacing: Theme.gap / 2
        Repeater {
            model: view.units
            delegate: Chip {
                required property string modelData
                required property int index
                objectName: "unit_" + index
                text: modelData
                checked: view.unit === modelData
                onClicked: view.unit = modelData
            }
        }
    }
    PhoneDisplay {
        Layout.fillWidth: true
        visible: !view.typed
        digits: room.value
        placeholder: qsTr("房号，例如 301")
    }
    NumericKeypad {
        id: room
        objectName: "roomKeypad"
        Layout.fillWidth: true
        visible: !view.typed
        maxLength: 5
        Component.onCompleted: value = ordering.draft.room
    }
    TextField {
        id: freeText
        objectName: "addressField"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight
        visible: view.typed
        font.pixelSize: Theme.fontLarge
        placeholderText: qsTr("例如：医财巷12号3单元502")
        maximumLength: 60
        text: ordering.draft.address_text
    }
    KioskButton {
        objectName: "typeAddressButton"
        Layout.fillWidth: true
        visible: view.book.length > 0
        text: view.typed ? qsTr("从列表选择地址") : qsTr("列表里没有？手动填写")
        font.pixelSize: Theme.fontBody
        onClicked: view.typed = !view.typed
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: ordering.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "nextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        onClicked: {
            freeText.focus = false
            if (view.typed)
                ordering.setAddress("", "", "", freeText.text)
            else
                ordering.setAddress(view.building, view.unit, room.value, "")
            ordering.next()
        }
    }
}
