import QtQuick
import "../../components"

// Technician mode's problems and notices, each with what to do (codes from ui/technician.py).
// A code may carry a detail after "|" (the cloud's refusal code, what a setting allows).
Text {
    property string code: ""
    property bool good: false
    readonly property string base: code.split("|")[0]
    readonly property string detail: code.indexOf("|") >= 0 ? code.slice(code.indexOf("|") + 1) : ""
    visible: text.length > 0
    color: good ? Theme.ok : Theme.bad
    font.pixelSize: Theme.fontBody
    font.bold: true
    wrapMode: Text.WordWrap
    text: {
        var s = sentence(base)
        return detail.length > 0 && s.length > 0 ? s + "（" + detail + "）" : s
    }

    function sentence(c) {
        switch (c) {
        case "": return ""
        // entry
        case "wrong_pin": return qsTr("密码不对，请再试一次")
        case "locked": return qsTr("密码错误次数太多，请稍后再试")
        case "needs_setup": return qsTr("本机还没有设置技术员密码，请先完成设置向导")
        case "already_set_up": return qsTr("密码已经设置过了，请用密码登录")
        case "not_a_card": return qsTr("这不是技术员卡，请扫技术员卡上的二维码")
        case "unknown_card": return qsTr("本机不认识这张技术员卡，请只用密码登录")
        case "revoked_card": return qsTr("这张技术员卡已停用，请只用密码登录")
        case "session_expired": return qsTr("长时间没有操作，已退出技术员模式，请重新登录")
        case "credential_corrupt": return qsTr("本机保存的密码已损坏：请在终端运行 kiosk pin set 重新设置")
        // new PIN
        case "pin_length": return qsTr("密码应为6到8位数字")
        case "pin_not_digits": return qsTr("密码只能用数字0到9")
        case "pin_all_same": return qsTr("不要用同一个数字重复组成密码")
        case "pin_sequence": return qsTr("不要用123456、654321这样的连续数字")
        case "pin_repeated": return qsTr("不要用121212这样重复的数字组")
        case "pin_mismatch": return qsTr("两次输入的密码不一样，请重新输入")
        // enrolment
        case "enrol_no_url": return qsTr("请填写正确的服务平台地址（http:// 或 https:// 开头），或扫描注册二维码")
        case "enrol_no_code": return qsTr("请填写注册码，或扫描注册二维码")
        case "enrol_refused": return qsTr("服务平台拒绝了注册：注册码可能已用过或已过期，请在平台上重新生成")
        case "enrol_unreachable": return qsTr("连不上服务平台：请检查网络和平台地址")
        // settings
        case "invalid_settings": return qsTr("有设置不正确，没有保存：请看标红的项目")
        case "invalid_value": return qsTr("这个值不能用")
        case "remote_managed": return qsTr("这一项由服务平台统一管理，不能在本机修改")
        case "unknown_key": return qsTr("本机没有这项设置")
        case "write_failed": return qsTr("设置无法写入磁盘：请检查磁盘空间，然后重试")
        case "printer_missing": return qsTr("按新设置找不到打印机：请检查连接和设置")
        // actions
        case "action_failed": return qsTr("操作没有完成，请重试；如果再次出现，请导出日志")
        case "cloud_not_set": return qsTr("还没有设置服务平台：请在设置里注册本机")
        case "nothing_to_reprint": return qsTr("还没有打印过小票")
        case "no_usb": return qsTr("没有找到U盘：请插入U盘后再试")
        case "export_failed": return qsTr("导出失败：U盘可能已满或被拔出")
        // printer
        case "printer_paper_out": return qsTr("打印机缺纸：请装入新纸卷")
        case "printer_near_end": return qsTr("打印纸快用完了：请准备新纸卷")
        case "printer_cover_open": return qsTr("打印机盖没有关好：请合上打印机盖")
        case "printer_offline": return qsTr("打印机没有响应：请检查电源、连接线和打印机设置")
        case "printer_not_configured": return qsTr("没有设置打印机：请在设置里选择打印机类型")
        case "printer_error": return qsTr("打印机报告故障：请关掉打印机再打开，检查是否卡纸")
        case "printer_unknown": return qsTr("还不知道打印机状态：请点“刷新”")
        // cloud and queue
        case "cloud_unreachable": return qsTr("连不上服务平台：请检查网线或无线网络")
        case "cloud_no_answer": return qsTr("服务平台没有回应：网络可能很慢，稍后会自动重试")
        case "cloud_server_error": return qsTr("服务平台出错：稍后会自动重试，持续出现请联系平台管理员")
        case "cloud_rate_limited": return qsTr("请求太频繁，服务平台暂时限流：稍后会自动重试")
        case "cloud_device_refused": return qsTr("服务平台不再接受本机：请在平台上检查本机，必要时重新注册")
        case "cloud_not_enrolled": return qsTr("本机还没有注册：请在设置里扫描注册二维码")
        case "outbox_stuck": return qsTr("有数据很久没有上传：请检查网络，然后点“立即同步”")
        case "orders_cut_off": return qsTr("有预约已存下，但居民没拿到小票（可能中途断电）：请点“补打小票”，交给居民")
        case "outbox_rejected": return qsTr("有数据被服务平台拒收：请导出日志交给平台管理员")
        case "clock_off": return qsTr("本机时间和服务平台相差超过1分钟：请检查时间同步（NTP）")
        case "no_network": return qsTr("本机没有网络地址：请检查网线或无线网络设置")
        case "disk_low": return qsTr("磁盘空间不足：请导出并清理旧日志")
        // scanner
        case "scanner_not_configured": return qsTr("没有设置扫码器：请在设置里选择扫码器类型")
        case "scanner_camera_missing": return qsTr("找不到摄像头：请检查连接线和摄像头设置")
        case "scanner_camera_lost": return qsTr("摄像头断开了：请检查连接线")
        case "scanner_video_ended": return qsTr("测试视频播放完了：请检查扫码器设置")
        case "scanner_serial_missing": return qsTr("找不到串口扫码器：请检查连接线和串口设置")
        case "scanner_serial_lost": return qsTr("串口扫码器断开了：请检查连接线")
        case "scanner_evdev_missing": return qsTr("无法独占扫码枪输入设备：请检查设备名和权限")
        case "scanner_library_missing": return qsTr("扫码需要的软件库缺失：请运行 kiosk doctor 查看")
        case "scanner_pyzbar_missing": return qsTr("缺少第二个解码库，难读的码会慢一些：请安装 libzbar0")
        case "scanner_worker_failed": return qsTr("扫码出错停止了：请重启程序，再出现请导出日志")
        case "scanner_unavailable": return qsTr("扫码器不可用：请检查连接和设置")
        // notices
        case "saved": return qsTr("已保存，已经生效")
        case "saved_restart": return qsTr("已保存，部分设置重启后生效")
        case "unchanged": return qsTr("没有修改")
        case "enrolled": return qsTr("注册成功，重启后开始同步")
        case "pin_changed": return qsTr("密码已修改")
        case "sync_started": return qsTr("正在同步，请稍候查看状态")
        case "reprint_queued": return qsTr("已补打上一张小票（标有“补打”）")
        case "printed": return qsTr("打印完成，请检查小票")
        case "exported": return qsTr("日志已导出到U盘")
        default: return qsTr("出现问题（%1）").arg(c)
        }
    }
}
