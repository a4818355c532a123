import Grid from '@material-ui/core/Grid';
import { makeStyles } from '@material-ui/core/styles';
import { CostCard } from '../CostCard';
import { EnvironmentsCard } from '../EnvironmentsCard';
import { GeneratedFilesCard } from '../GeneratedFilesCard';
import { LagCard } from '../LagCard';
import { LineageCard } from '../LineageCard';
import { MicroBatchChartCard } from '../MicroBatchChartCard';
import { PipelineHealthHeader } from '../PipelineHealthHeader';
import { PipelineOperationsCard } from '../PipelineOperationsCard';
import { SchemaCard } from '../SchemaCard';
import { SourceConnectorCard } from '../SourceConnectorCard';
import { StateWatermarkCard } from '../StateWatermarkCard';

// A card that has nothing to show renders nothing: its cell takes no room.
const useStyles = makeStyles({
  unlessEmpty: { '&:empty': { display: 'none' } },
});

/** The "Streaming" tab of a pipeline's page. */
export function PipelineStreamingContent() {
  const classes = useStyles();
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <PipelineHealthHeader />
      </Grid>
      <Grid item xs={12} className={classes.unlessEmpty}>
        <EnvironmentsCard />
      </Grid>
      <Grid item xs={12} lg={8}>
        <MicroBatchChartCard />
      </Grid>
      <Grid item xs={12} lg={4}>
        <StateWatermarkCard />
      </Grid>
      <Grid item xs={12} lg={6}>
        <LagCard />
      </Grid>
      <Grid item xs={12} lg={6}>
        <CostCard />
      </Grid>
      <Grid item xs={12}>
        <SchemaCard />
      </Grid>
      <Grid item xs={12} className={classes.unlessEmpty}>
        <SourceConnectorCard />
      </Grid>
      <Grid item xs={12}>
        <LineageCard />
      </Grid>
      <Grid item xs={12}>
        <GeneratedFilesCard />
      </Grid>
      <Grid item xs={12}>
        <PipelineOperationsCard />
      </Grid>
    </Grid>
  );
}
