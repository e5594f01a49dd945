<#
.SYNOPSIS
    Writes the module's MAML help (en-US/Refilled.PowerShell.dll-Help.xml) from module/help/<Cmdlet>.psd1.
.DESCRIPTION
    Prose (synopsis, description, parameter text, examples, notes) comes from the help sources; syntax, types,
    positions, mandatory flags, pipeline binding and output types come from the built cmdlets themselves, so
    the help cannot drift from the code. A hyperparameter's text lives once, on its recipe property
    ([Hyperparameter(Help = ...)]; the cmdlet parameter is generated from it), and its "Default ..." is the value a
    fresh recipe has in the built engine: a help source that describes one again fails the build. Links (RELATED LINKS) name other cmdlets of the module or its about_
    topics. A cmdlet without a help source, a parameter without text, a cmdlet without an example or a link, or a
    link to nothing the module has fails the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $HelpSource
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModulePath -PassThru
$common = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters
$ns = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$problems = [Collections.Generic.List[string]]::new()
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
$target = Join-Path (Split-Path $ModulePath) 'en-US/Refilled.PowerShell.dll-Help.xml'
$aboutFolder = Split-Path $target
New-Item -ItemType Directory -Force (Split-Path $target) | Out-Null
$w = [Xml.XmlWriter]::Create($target, $settings)

function Write-Para([string] $Text) {
    foreach ($para in ($Text.Trim() -split '\r?\n\s*\r?\n')) {
        $w.WriteElementString('para', $ns.maml, ($para -replace '\s*\r?\n\s*', ' '))
    }
}
function Write-Description([string] $Text) {
    $w.WriteStartElement('description', $ns.maml); Write-Para $Text; $w.WriteEndElement()
}
function Get-PipelineInput($p) {
    $kinds = @()
    if ($p.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($p.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}
function Write-Parameter($p, [string] $text, [bool] $withDescription) {
    # int? shows as Int32, not Nullable`1.
    $type = [Nullable]::GetUnderlyingType($p.ParameterType)
    if (-not $type) { $type = $p.ParameterType }
    $w.WriteStartElement('parameter', $ns.command)
    $w.WriteAttributeString('required', $p.IsMandatory.ToString().ToLower())
    $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
    $w.WriteAttributeString('pipelineInput', (Get-PipelineInput $p))
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'None' }))
    $w.WriteElementString('name', $ns.maml, $p.Name)
    if ($withDescription) { Write-Description $text }
    if ($type -ne [Management.Automation.SwitchParameter]) {
        $w.WriteStartElement('parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteString($type.Name)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('type', $ns.dev); $w.WriteElementString('name', $ns.maml, $type.FullName); $w.WriteEndElement()
    if ($withDescription) { $w.WriteElementString('defaultValue', $ns.dev, (Get-DefaultValue $p.Name)) }
    $w.WriteEndElement()
}

# The defaults the code really has: a fresh instance of the cmdlet class holds them.
function Get-DefaultValue([string] $name) {
    $value = $script:defaults.$name
    if ($null -eq $value -or ($value -is [Management.Automation.SwitchParameter] -and -not $value)) { return 'None' }
    if ($value -is [Array]) { return $value -join ', ' }
    if ($value -is [double]) { return $value.ToString([Globalization.CultureInfo]::InvariantCulture) }
    "$value"
}

# The text of a parameter generated from a recipe hyperparameter ([RecipeParameter] on the property), or $null: the
# recipe's help with its default (from a fresh recipe) at {default} or as a last sentence, named by method where a
# baseline's own hyperparameter shares the cmdlet with other methods'.
function Get-HyperparameterText($cmd, [string] $name) {
    $marker = $cmd.ImplementingType.GetProperty($name).GetCustomAttributes($true) |
        Where-Object { $_.GetType().Name -eq 'RecipeParameterAttribute' }
    if (-not $marker) { return $null }
    $key = [Refilled.Engine.Training.RecipeKey]::Of($marker.Recipe) | Where-Object { $_.Property.Name -eq $name }
    if (-not $key.Help) { $problems.Add("$($cmd.Name): $($key.Property.DeclaringType.Name).$name has no [Hyperparameter(Help = ...)]"); return '' }
    $value = $key.Property.GetValue([Activator]::CreateInstance($marker.Recipe))
    $default = if ($null -eq $value) { $null }
        elseif ($key.IsSwitch) { if ($value) { 'on' } else { 'off' } }
        elseif ($value -is [bool]) { "`$$("$value".ToLower())" }
        elseif ($value -is [double]) { $value.ToString([Globalization.CultureInfo]::InvariantCulture) }
        else { "$value" }
    $text = $key.Help
    if ($text.Contains('{default}')) {
        if ($null -eq $default) { $problems.Add("$($cmd.Name): -$name has no default for its help's {default}") }
        $text = $text.Replace('{default}', "$default")
    }
    elseif ($null -ne $default) { $text += " Default $default." }
    $declaring = $key.Property.DeclaringType
    if ($declaring.IsSubclassOf([Refilled.Engine.Training.BaselineRecipe]) -and -not $declaring.IsAbstract) {
        $text = "$([Activator]::CreateInstance($declaring).Method): $text"
    }
    $text
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($cmd in ($module.ExportedCmdlets.Values | Sort-Object Name)) {
    $sourceFile = Join-Path $HelpSource "$($cmd.Name).psd1"
    if (-not (Test-Path $sourceFile)) { $problems.Add("$($cmd.Name): no help source $sourceFile"); continue }
    $help = Import-PowerShellDataFile $sourceFile
    $parameters = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $common })
    $texts = @{}
    foreach ($p in $parameters) {
        $generated = Get-HyperparameterText $cmd $p.Name
        if ($null -ne $generated) {
            if ($help.Parameters.ContainsKey($p.Name)) { $problems.Add("$($cmd.Name): -$($p.Name) is described on its recipe; remove it from $sourceFile") }
            $texts[$p.Name] = $generated
        }
        elseif ($help.Parameters.ContainsKey($p.Name)) { $texts[$p.Name] = [string]$help.Parameters[$p.Name] }
        else { $problems.Add("$($cmd.Name): parameter -$($p.Name) has no text") }
    }
    foreach ($extra in $help.Parameters.Keys) {
        if ($extra -notin $parameters.Name) { $problems.Add("$($cmd.Name): help describes unknown parameter -$extra") }
    }
    if (-not $help.Examples) { $problems.Add("$($cmd.Name): no example") }
    if (-not $help.Links) { $problems.Add("$($cmd.Name): no related link") }
    foreach ($link in $help.Links) {
        if ($link -notin $module.ExportedCmdlets.Keys -and -not (Test-Path (Join-Path $aboutFolder "$link.help.txt"))) {
            $problems.Add("$($cmd.Name): related link '$link' is neither a cmdlet of the module nor an about_ topic in $aboutFolder")
        }
    }

    $script:defaults = [Activator]::CreateInstance($cmd.ImplementingType)
    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('details', $ns.command)
    $w.WriteElementString('name', $ns.command, $cmd.Name)
    $w.WriteElementString('verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('noun', $ns.command, $cmd.Noun)
    Write-Description $help.Synopsis
    $w.WriteEndElement()
    Write-Description $help.Description

    $w.WriteStartElement('syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('syntaxItem', $ns.command)
        $w.WriteElementString('name', $ns.maml, $cmd.Name)
        foreach ($sp in ($set.Parameters | Where-Object { $_.Name -notin $common })) { Write-Parameter $sp '' $false }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $ns.command)
    foreach ($p in $parameters) {
        $setInfo = $cmd.ParameterSets.Parameters | Where-Object Name -EQ $p.Name | Select-Object -First 1
        Write-Parameter $setInfo $texts[$p.Name] $true
    }
    $w.WriteEndElement()

    $w.WriteStartElement('inputTypes', $ns.command)
    $inputs = @($parameters | Where-Object { $setInfo = $cmd.ParameterSets.Parameters | Where-Object Name -EQ $_.Name
        $setInfo | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } })
    if (-not $inputs) { $inputs = @([pscustomobject]@{ ParameterType = [pscustomobject]@{ FullName = 'None' } }) }
    foreach ($i in $inputs) {
        $w.WriteStartElement('inputType', $ns.command)
        $w.WriteStartElement('type', $ns.dev); $w.WriteElementString('name', $ns.maml, $i.ParameterType.FullName); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('returnValues', $ns.command)
    foreach ($o in $cmd.OutputType) {
        $w.WriteStartElement('returnValue', $ns.command)
        $w.WriteStartElement('type', $ns.dev); $w.WriteElementString('name', $ns.maml, $o.Name); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    if ($help.ContainsKey('Notes')) {
        $w.WriteStartElement('alertSet', $ns.maml); $w.WriteStartElement('alert', $ns.maml)
        Write-Para $help.Notes
        $w.WriteEndElement(); $w.WriteEndElement()
    }

    $w.WriteStartElement('examples', $ns.command)
    $n = 0
    foreach ($example in $help.Examples) {
        $n++
        $w.WriteStartElement('example', $ns.command)
        $w.WriteElementString('title', $ns.maml, "-------------------------- Example $n --------------------------")
        $w.WriteElementString('code', $ns.dev, $example.Code)
        $w.WriteStartElement('remarks', $ns.dev); Write-Para $example.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('relatedLinks', $ns.maml)
    foreach ($link in $help.Links) {
        $w.WriteStartElement('navigationLink', $ns.maml)
        $w.WriteElementString('linkText', $ns.maml, $link)
        $w.WriteElementString('uri', $ns.maml, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Error $_ -ErrorAction Continue }
    exit 1
}
