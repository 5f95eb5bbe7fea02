import QtQuick
import "../../components"

// Done: back to the start (which clears the volunteer's data), by hand or after a countdown.
KioskButton {
    id: finish
    objectName: "finishButton"
    primary: true
    text: qsTr("完成（%1秒后自动返回）").arg(countdown.left)
    onClicked: nav.home()
    Timer {
        id: countdown
        property int left: shell.doneScreenSeconds
        interval: 1000
        repeat: true
        running: true
        onTriggered: {
            left -= 1
            if (left <= 0)
                nav.home()
        }
    }
}
