; *** Inno Setup 6.4.1 简体中文界面文字（年报助手自带的译文）***
;
; Inno Setup 6 只随附官方维护的语言文件，简体中文不在其中，因此本文件与 nianbao.iss 放在一起，
; 由 nianbao.iss 以相对路径引用（先读 compiler:Default.isl，再用本文件覆盖：日后 Inno Setup
; 新增的提示即使这里还没有译文，也会以英文显示而不会使编译失败；本文件中新版已改名的条目会被忽略）。
; 每一条都对应 Inno Setup 6.4.1 的 Default.isl——两处 CI 固定使用的版本（.ci/run 的 npm pack
; innosetup@6.4.1，工作流的 choco install innosetup --version 6.4.1）；升级 Inno Setup 时三处一起改，
; 并按新版的 Default.isl 补译（6.5 起 DownloadingLabel、ExtractionLabel 改名，另有校验、解压的新提示）。
; tests/packaging/test_windows_installer.py 与该版本的 Default.isl 逐条比对（%1 等占位符一个不少）。
;
; 注意：原文结尾没有句号的提示，译文也不加句号（Inno Setup 会自动补上）。

[LangOptions]
LanguageName=简体中文
LanguageID=$0804
LanguageCodePage=936

[Messages]

; *** 程序标题
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1

; *** 常用
InformationTitle=信息
ConfirmTitle=确认
ErrorTitle=错误

; *** 安装程序加载器
SetupLdrStartupMessage=即将安装 %1。是否继续？
LdrCannotCreateTemp=无法创建临时文件。安装已中止
LdrCannotExecTemp=无法运行临时文件夹中的文件。安装已中止
HelpTextNote=

; *** 启动时的错误
LastErrorMessage=%1。%n%n错误 %2：%3
SetupFileMissing=安装文件夹中缺少文件 %1。请解决这个问题，或重新获取一份安装程序。
SetupFileCorrupt=安装文件已损坏。请重新获取一份安装程序。
SetupFileCorruptOrWrongVer=安装文件已损坏，或与此版本的安装程序不兼容。请解决这个问题，或重新获取一份安装程序。
InvalidParameter=命令行中有无效的参数：%n%n%1
SetupAlreadyRunning=安装程序已在运行。
WindowsVersionNotSupported=本程序不支持这台电脑上的 Windows 版本。
WindowsServicePackRequired=本程序需要 %1 Service Pack %2 或更高版本。
NotOnThisPlatform=本程序不能在 %1 上运行。
OnlyOnThisPlatform=本程序只能在 %1 上运行。
OnlyOnTheseArchitectures=本程序只能安装在为下列处理器架构设计的 Windows 上：%n%n%1
WinVersionTooLowError=本程序需要 %1 %2 或更高版本。
WinVersionTooHighError=本程序不能安装在 %1 %2 或更高版本上。
AdminPrivilegesRequired=安装本程序须以管理员身份登录。
PowerUserPrivilegesRequired=安装本程序须以管理员或 Power Users 组成员的身份登录。
SetupAppRunningError=安装程序发现 %1 正在运行。%n%n请现在关闭它的所有窗口，然后单击“确定”继续，或单击“取消”退出。
UninstallAppRunningError=卸载程序发现 %1 正在运行。%n%n请现在关闭它的所有窗口，然后单击“确定”继续，或单击“取消”退出。

; *** 启动时的选择
PrivilegesRequiredOverrideTitle=选择安装方式
PrivilegesRequiredOverrideInstruction=选择安装方式
PrivilegesRequiredOverrideText1=%1 可以为这台电脑的所有用户安装（需要管理员权限），也可以只为您安装。
PrivilegesRequiredOverrideText2=%1 可以只为您安装，也可以为这台电脑的所有用户安装（需要管理员权限）。
PrivilegesRequiredOverrideAllUsers=为所有用户安装(&A)
PrivilegesRequiredOverrideAllUsersRecommended=为所有用户安装（推荐）(&A)
PrivilegesRequiredOverrideCurrentUser=只为我安装(&M)
PrivilegesRequiredOverrideCurrentUserRecommended=只为我安装（推荐）(&M)

; *** 其他错误
ErrorCreatingDir=安装程序无法创建文件夹“%1”
ErrorTooManyFilesInDir=文件夹“%1”中的文件过多，无法在其中创建文件

; *** 安装程序的常用提示
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。如果现在退出，程序将不会被安装。%n%n您可以以后再运行安装程序完成安装。%n%n是否退出安装？
AboutSetupMenuItem=关于安装程序(&A)...
AboutSetupTitle=关于安装程序
AboutSetupMessage=%1 版本 %2%n%3%n%n%1 主页：%n%4
AboutSetupNote=
TranslatorNote=

; *** 按钮
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonYesToAll=全部是(&A)
ButtonNo=否(&N)
ButtonNoToAll=全部否(&O)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&B)...
ButtonWizardBrowse=浏览(&R)...
ButtonNewFolder=新建文件夹(&M)

; *** “选择语言”对话框
SelectLanguageTitle=选择安装语言
SelectLanguageLabel=选择安装过程中使用的语言。

; *** 向导中的常用文字
ClickNext=单击“下一步”继续，或单击“取消”退出安装。
BeveledLabel=
BrowseDialogTitle=浏览文件夹
BrowseDialogLabel=在下面的列表中选择一个文件夹，然后单击“确定”。
NewFolderName=新建文件夹

; *** “欢迎”页
WelcomeLabel1=欢迎使用 [name] 安装向导
WelcomeLabel2=即将在您的电脑上安装 [name/ver]。%n%n建议在继续之前关闭其他所有程序。

; *** “密码”页
WizardPassword=密码
PasswordLabel1=这个安装程序有密码保护。
PasswordLabel3=请输入密码，然后单击“下一步”继续。密码区分大小写。
PasswordEditLabel=密码(&P)：
IncorrectPassword=密码不正确，请重新输入。

; *** “许可协议”页
WizardLicense=许可协议
LicenseLabel=继续之前，请阅读下面的重要信息。
LicenseLabel3=请阅读下面的许可协议。您必须接受协议的条款才能继续安装。
LicenseAccepted=我接受协议(&A)
LicenseNotAccepted=我不接受协议(&D)

; *** “信息”页
WizardInfoBefore=信息
InfoBeforeLabel=继续之前，请阅读下面的重要信息。
InfoBeforeClickLabel=准备好继续安装后，单击“下一步”。
WizardInfoAfter=信息
InfoAfterLabel=继续之前，请阅读下面的重要信息。
InfoAfterClickLabel=准备好继续安装后，单击“下一步”。

; *** “用户信息”页
WizardUserInfo=用户信息
UserInfoDesc=请输入您的信息。
UserInfoName=用户名(&U)：
UserInfoOrg=单位(&O)：
UserInfoSerial=序列号(&S)：
UserInfoNameRequired=必须输入用户名。

; *** “选择安装位置”页
WizardSelectDir=选择安装位置
SelectDirDesc=要把 [name] 安装到哪里？
SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹。
SelectDirBrowseLabel=单击“下一步”继续。如需选择其他文件夹，请单击“浏览”。
DiskSpaceGBLabel=至少需要 [gb] GB 的可用磁盘空间。
DiskSpaceMBLabel=至少需要 [mb] MB 的可用磁盘空间。
CannotInstallToNetworkDrive=不能安装到网络驱动器上。
CannotInstallToUNCPath=不能安装到 UNC 路径上。
InvalidPath=必须输入带盘符的完整路径，例如：%n%nC:\APP%n%n或下列形式的 UNC 路径：%n%n\\server\share
InvalidDrive=所选的驱动器或 UNC 共享不存在或无法访问。请另选一个。
DiskSpaceWarningTitle=磁盘空间不足
DiskSpaceWarning=安装至少需要 %1 KB 的可用空间，但所选驱动器只有 %2 KB 可用。%n%n是否仍要继续？
DirNameTooLong=文件夹名称或路径太长。
InvalidDirName=文件夹名称无效。
BadDirName32=文件夹名称不能包含下列字符：%n%n%1
DirExistsTitle=文件夹已存在
DirExists=文件夹：%n%n%1%n%n已经存在。是否仍要安装到这个文件夹？
DirDoesntExistTitle=文件夹不存在
DirDoesntExist=文件夹：%n%n%1%n%n不存在。是否创建这个文件夹？

; *** “选择组件”页
WizardSelectComponents=选择组件
SelectComponentsDesc=要安装哪些组件？
SelectComponentsLabel2=勾选要安装的组件，取消勾选不需要安装的组件。准备好后单击“下一步”继续。
FullInstallation=完全安装
CompactInstallation=简洁安装
CustomInstallation=自定义安装
NoUninstallWarningTitle=组件已存在
NoUninstallWarning=安装程序发现您的电脑上已经安装了下列组件：%n%n%1%n%n取消勾选这些组件并不会卸载它们。%n%n是否仍要继续？
ComponentSize1=%1 KB
ComponentSize2=%1 MB
ComponentsDiskSpaceGBLabel=当前所选至少需要 [gb] GB 的磁盘空间。
ComponentsDiskSpaceMBLabel=当前所选至少需要 [mb] MB 的磁盘空间。

; *** “选择附加任务”页
WizardSelectTasks=选择附加任务
SelectTasksDesc=要执行哪些附加任务？
SelectTasksLabel2=选择安装 [name] 时要执行的附加任务，然后单击“下一步”。

; *** “选择开始菜单文件夹”页
WizardSelectProgramGroup=选择开始菜单文件夹
SelectStartMenuFolderDesc=要把程序的快捷方式放在哪里？
SelectStartMenuFolderLabel3=安装程序将在下面的开始菜单文件夹中创建程序的快捷方式。
SelectStartMenuFolderBrowseLabel=单击“下一步”继续。如需选择其他文件夹，请单击“浏览”。
MustEnterGroupName=必须输入文件夹名称。
GroupNameTooLong=文件夹名称或路径太长。
InvalidGroupName=文件夹名称无效。
BadGroupName=文件夹名称不能包含下列字符：%n%n%1
NoProgramGroupCheck2=不创建开始菜单文件夹(&D)

; *** “准备安装”页
WizardReady=准备安装
ReadyLabel1=安装程序已准备好在您的电脑上安装 [name]。
ReadyLabel2a=单击“安装”开始安装；如需查看或修改设置，请单击“上一步”。
ReadyLabel2b=单击“安装”开始安装。
ReadyMemoUserInfo=用户信息：
ReadyMemoDir=安装位置：
ReadyMemoType=安装类型：
ReadyMemoComponents=所选组件：
ReadyMemoGroup=开始菜单文件夹：
ReadyMemoTasks=附加任务：

; *** 下载页（TDownloadWizardPage）与 DownloadTemporaryFile
DownloadingLabel=正在下载附加文件...
ButtonStopDownload=停止下载(&S)
StopDownload=确实要停止下载吗？
ErrorDownloadAborted=下载已中止
ErrorDownloadFailed=下载失败：%1 %2
ErrorDownloadSizeFailed=获取大小失败：%1 %2
ErrorFileHash1=计算文件校验值失败：%1
ErrorFileHash2=文件校验值不符：应为 %1，实为 %2
ErrorProgress=进度无效：%1 / %2
ErrorFileSize=文件大小不符：应为 %1，实为 %2

; *** 解压页（TExtractionWizardPage）与 Extract7ZipArchive
ExtractionLabel=正在解压附加文件...
ButtonStopExtraction=停止解压(&S)
StopExtraction=确实要停止解压吗？
ErrorExtractionAborted=解压已中止
ErrorExtractionFailed=解压失败：%1

; *** “正在准备安装”页
WizardPreparing=正在准备安装
PreparingDesc=安装程序正在准备在您的电脑上安装 [name]。
PreviousInstallNotCompleted=之前某个程序的安装或卸载尚未完成，需要重新启动电脑才能完成。%n%n重新启动电脑后，请再次运行安装程序以完成 [name] 的安装。
CannotContinue=安装无法继续。请单击“取消”退出。
ApplicationsFound=下列程序正在使用安装程序需要更新的文件。建议允许安装程序自动关闭这些程序。
ApplicationsFound2=下列程序正在使用安装程序需要更新的文件。建议允许安装程序自动关闭这些程序。安装完成后，安装程序会尝试重新启动它们。
CloseApplications=自动关闭这些程序(&A)
DontCloseApplications=不关闭这些程序(&D)
ErrorCloseApplications=安装程序无法自动关闭所有程序。建议在继续之前，先关闭所有正在使用需要更新的文件的程序。
PrepareToInstallNeedsRestart=安装程序必须重新启动您的电脑。重新启动后，请再次运行安装程序以完成 [name] 的安装。%n%n是否现在重新启动？

; *** “正在安装”页
WizardInstalling=正在安装
InstallingLabel=安装程序正在您的电脑上安装 [name]，请稍候。

; *** “安装完成”页
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=安装程序已在您的电脑上安装好 [name]。
FinishedLabel=安装程序已在您的电脑上安装好 [name]。可以通过已创建的快捷方式启动它。
ClickFinish=单击“完成”退出安装。
FinishedRestartLabel=要完成 [name] 的安装，必须重新启动您的电脑。是否现在重新启动？
FinishedRestartMessage=要完成 [name] 的安装，必须重新启动您的电脑。%n%n是否现在重新启动？
ShowReadmeCheck=是，我要查看自述文件
YesRadio=是，现在重新启动电脑(&Y)
NoRadio=否，稍后我自己重新启动电脑(&N)
RunEntryExec=运行 %1
RunEntryShellExec=查看 %1

; *** “需要下一张磁盘”
ChangeDiskTitle=需要下一张磁盘
SelectDiskLabel2=请插入第 %1 张磁盘，然后单击“确定”。%n%n如果这张磁盘上的文件在下面显示的文件夹以外的位置，请输入正确的路径或单击“浏览”。
PathLabel=路径(&P)：
FileNotInDir2=在“%2”中找不到文件“%1”。请插入正确的磁盘或选择其他文件夹。
SelectDirectoryLabel=请指定下一张磁盘的位置。

; *** 安装过程中的提示
SetupAborted=安装没有完成。%n%n请解决问题后重新运行安装程序。
AbortRetryIgnoreSelectAction=选择操作
AbortRetryIgnoreRetry=重试(&T)
AbortRetryIgnoreIgnore=忽略错误并继续(&I)
AbortRetryIgnoreCancel=取消安装

; *** 安装状态
StatusClosingApplications=正在关闭程序...
StatusCreateDirs=正在创建文件夹...
StatusExtractFiles=正在解压文件...
StatusCreateIcons=正在创建快捷方式...
StatusCreateIniEntries=正在写入 INI 项...
StatusCreateRegistryEntries=正在写入注册表项...
StatusRegisterFiles=正在注册文件...
StatusSavingUninstall=正在保存卸载信息...
StatusRunProgram=正在完成安装...
StatusRestartingApplications=正在重新启动程序...
StatusRollback=正在撤销更改...

; *** 其他错误
ErrorInternal2=内部错误：%1
ErrorFunctionFailedNoCode=%1 失败
ErrorFunctionFailed=%1 失败；代码 %2
ErrorFunctionFailedWithMessage=%1 失败；代码 %2。%n%3
ErrorExecutingProgram=无法运行文件：%n%1

; *** 注册表错误
ErrorRegOpenKey=打开注册表项时出错：%n%1\%2
ErrorRegCreateKey=创建注册表项时出错：%n%1\%2
ErrorRegWriteKey=写入注册表项时出错：%n%1\%2

; *** INI 错误
ErrorIniEntry=在文件“%1”中写入 INI 项时出错。

; *** 复制文件时的错误
FileAbortRetryIgnoreSkipNotRecommended=跳过这个文件（不推荐）(&S)
FileAbortRetryIgnoreIgnoreNotRecommended=忽略错误并继续（不推荐）(&I)
SourceIsCorrupted=源文件已损坏
SourceDoesntExist=源文件“%1”不存在
ExistingFileReadOnly2=已有的文件是只读的，无法替换。
ExistingFileReadOnlyRetry=去掉只读属性后重试(&R)
ExistingFileReadOnlyKeepExisting=保留已有的文件(&K)
ErrorReadingExistingDest=读取已有的文件时出错：
FileExistsSelectAction=选择操作
FileExists2=文件已经存在。
FileExistsOverwriteExisting=覆盖已有的文件(&O)
FileExistsKeepExisting=保留已有的文件(&K)
FileExistsOverwriteOrKeepAll=之后遇到同样情况都这样处理(&D)
ExistingFileNewerSelectAction=选择操作
ExistingFileNewer2=已有的文件比安装程序要安装的更新。
ExistingFileNewerOverwriteExisting=覆盖已有的文件(&O)
ExistingFileNewerKeepExisting=保留已有的文件（推荐）(&K)
ExistingFileNewerOverwriteOrKeepAll=之后遇到同样情况都这样处理(&D)
ErrorChangingAttr=更改已有文件的属性时出错：
ErrorCreatingTemp=在安装文件夹中创建文件时出错：
ErrorReadingSource=读取源文件时出错：
ErrorCopying=复制文件时出错：
ErrorReplacingExistingFile=替换已有的文件时出错：
ErrorRestartReplace=RestartReplace 失败：
ErrorRenamingTemp=在安装文件夹中重命名文件时出错：
ErrorRegisterServer=无法注册 DLL/OCX：%1
ErrorRegSvr32Failed=RegSvr32 失败，退出代码 %1
ErrorRegisterTypeLib=无法注册类型库：%1

; *** 卸载列表中显示名称的标注
UninstallDisplayNameMark=%1（%2）
UninstallDisplayNameMarks=%1（%2，%3）
UninstallDisplayNameMark32Bit=32 位
UninstallDisplayNameMark64Bit=64 位
UninstallDisplayNameMarkAllUsers=所有用户
UninstallDisplayNameMarkCurrentUser=当前用户

; *** 安装后的错误
ErrorOpeningReadme=打开自述文件时出错。
ErrorRestartingComputer=安装程序无法重新启动电脑。请手动重新启动。

; *** 卸载程序
UninstallNotFound=文件“%1”不存在。无法卸载。
UninstallOpenError=无法打开文件“%1”。无法卸载
UninstallUnsupportedVer=此版本的卸载程序无法识别卸载日志文件“%1”的格式。无法卸载
UninstallUnknownEntry=卸载日志中有无法识别的项（%1）
ConfirmUninstall=确实要完全删除 %1 及其所有组件吗？
UninstallOnlyOnWin64=这个程序只能在 64 位 Windows 上卸载。
OnlyAdminCanUninstall=这个程序只能由有管理员权限的用户卸载。
UninstallStatusLabel=正在从您的电脑上删除 %1，请稍候。
UninstalledAll=已从您的电脑上删除 %1。
UninstalledMost=%1 卸载完成。%n%n有些内容无法删除，可以手动删除。
UninstalledAndNeedsRestart=要完成 %1 的卸载，必须重新启动您的电脑。%n%n是否现在重新启动？
UninstallDataCorrupted=文件“%1”已损坏。无法卸载

; *** 卸载过程中的提示
ConfirmDeleteSharedFileTitle=删除共享文件？
ConfirmDeleteSharedFile2=系统显示下面的共享文件已不再被任何程序使用。是否让卸载程序删除它？%n%n如果仍有程序在使用这个文件，删除后那些程序可能无法正常工作。如果不确定，请选择“否”。保留这个文件不会有任何害处。
SharedFileNameLabel=文件名：
SharedFileLocationLabel=位置：
WizardUninstalling=卸载状态
StatusUninstalling=正在卸载 %1...

; *** 阻止关机的原因
ShutdownBlockReasonInstallingApp=正在安装 %1。
ShutdownBlockReasonUninstallingApp=正在卸载 %1。

; 下面的自定义提示安装程序本身不用，脚本用 {cm:…} 引用时才会显示。

[CustomMessages]

NameAndVersion=%1 版本 %2
AdditionalIcons=附加快捷方式：
CreateDesktopIcon=在桌面创建快捷方式(&D)
CreateQuickLaunchIcon=在快速启动栏创建快捷方式(&Q)
ProgramOnTheWeb=%1 网站
UninstallProgram=卸载 %1
LaunchProgram=启动 %1
AssocFileExtension=用 %1 打开 %2 文件(&A)
AssocingFileExtension=正在把 %2 文件与 %1 关联...
AutoStartProgramGroupDescription=启动：
AutoStartProgram=开机时自动启动 %1
AddonHostProgramNotFound=在所选的文件夹中找不到 %1。%n%n是否仍要继续？
